/** The utfall engine: pure, deterministic, no DOM. Pages, workers, the CLI and tests call it. */
export { scenarioSchema, measuresOf, type Scenario, type ScenarioInput, type PaymentRule } from "./scenario/schema.js";
export { parseScenario, parseScenarioText, formatPath, type Problem, type ParseResult } from "./scenario/parse.js";
export { compile, type Model } from "./compile.js";
export { simulateOutcomes, simulateBlock, allocateTable, cohortValue, relativeEffects, type OutcomeTable } from "./simulate.js";
export { evaluateContract, type ContractResults, type EvaluateOptions } from "./contract/evaluate.js";
export { irr, npv, annualize } from "./finance/irr.js";
export { dist, fan, type Dist, type FanPoint } from "./summary/dist.js";
export { summarize, type Summary } from "./summary/summarize.js";
export { runScenario, type Run, type RunOptions } from "./run.js";
export { BLOCK_SIZE, DEFAULT_SEED, DEFAULT_TRIALS } from "./constants.js";
export { expectedBaseline } from "./expectation.js";
export { sweep, cellFigures, SweepError, type Vary, type Cell, type CellFigures, type SweepResult } from "./analysis/sweep.js";
export { parsePath, setPath, PathError } from "./analysis/path.js";
export { breakEven, type BreakEven, type Party } from "./analysis/breakEven.js";
export { csvDialect, csvNumber, toCsv, trialColumns, trialsCsv, trialsJson, summaryRows, summaryCsv, currencySymbol, type CsvDialect, type TrialColumns, type SummaryRow } from "./export/index.js";
export { moneyFlows, trialAtQuantile, type MoneyFlowYear } from "./contract/moneyFlows.js";
