/**
 * Named scenarios kept in the browser (localStorage): save as…, list, load, delete. Nothing
 * leaves the machine. The explorer shows the panel beside its file bar (src/explorer.md).
 */
import { el, simulationOf, type ExplorerSource } from "./explorer-view.js";

export const SAVED_KEY = "utfall.explorer.saved";

export interface SavedScenario {
  name: string;
  /** ISO time it was saved. */
  savedAt: string;
  scenario: unknown;
  trials?: number;
  seed?: string | number;
}

/** Storage, or null where the browser refuses it (a private window, a sandbox). */
function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The saved scenarios in one storage key, newest first. */
export function savedStore(storage: Storage | null = defaultStorage()) {
  const read = (): SavedScenario[] => {
    try {
      const list: unknown = JSON.parse(storage?.getItem(SAVED_KEY) ?? "[]");
      return Array.isArray(list) ? list.filter((x): x is SavedScenario => typeof x === "object" && x !== null && typeof x.name === "string") : [];
    } catch {
      return [];
    }
  };
  const write = (list: SavedScenario[]) => {
    if (!storage) throw new Error("this browser keeps no data for the page");
    storage.setItem(SAVED_KEY, JSON.stringify(list));
  };
  return {
    available: storage !== null,
    list: read,
    /** Saves under `name`, replacing one of the same name. */
    save(entry: Omit<SavedScenario, "savedAt">): void {
      write([{ ...entry, savedAt: new Date().toISOString() }, ...read().filter((s) => s.name !== entry.name)]);
    },
    get: (name: string) => read().find((s) => s.name === name),
    remove(name: string): void {
      write(read().filter((s) => s.name !== name));
    },
  };
}

export function savedScenariosPanel(options: {
  /** The scenario as edited now, with its trials and seed. */
  current: () => { scenario: unknown; trials: number; seed: string | number };
  onLoad: (s: SavedScenario) => void;
  storage?: Storage | null;
}): HTMLElement {
  const store = savedStore(options.storage === undefined ? defaultStorage() : options.storage);
  const nameInput = el("input", { type: "text", name: "saved-name", "aria-label": "Name to keep the scenario under", placeholder: "a name, e.g. lower share" });
  const saveButton = el("button", { type: "button", class: "saved-save" }, "Keep in this browser");
  const message = el("span", { class: "saved-message", role: "status" });
  const list = el("ul", { class: "saved-list" });
  const count = el("span", { class: "explorer-count" });
  const panel = el(
    "details",
    { class: "explorer-saved" },
    el("summary", {}, "Scenarios kept in this browser ", count),
    el("div", { class: "saved-form" }, nameInput, saveButton, message),
    list,
    el("p", { class: "saved-note" }, "Kept in this browser's storage only; nothing leaves the machine."),
  );

  function render(): void {
    const items = store.list();
    count.textContent = items.length ? `${items.length}` : "";
    list.replaceChildren(
      ...items.map((s) => {
        const load = el("button", { type: "button", class: "saved-load" }, "Load");
        const remove = el("button", { type: "button", class: "saved-delete", "aria-label": `Delete ${s.name}` }, "Delete");
        load.addEventListener("click", () => {
          options.onLoad(s);
          message.textContent = `Loaded “${s.name}”.`;
        });
        remove.addEventListener("click", () => {
          store.remove(s.name);
          message.textContent = `Deleted “${s.name}”.`;
          render();
        });
        const when = new Date(s.savedAt);
        return el("li", { "data-name": s.name }, el("strong", {}, s.name), " ", el("span", { class: "saved-when" }, Number.isFinite(when.getTime()) ? when.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : ""), " ", load, " ", remove);
      }),
    );
  }

  saveButton.addEventListener("click", () => {
    const name = nameInput.value.trim();
    if (!name) {
      message.textContent = "Give the scenario a name first.";
      nameInput.focus();
      return;
    }
    try {
      store.save({ name, ...options.current() });
      message.textContent = `Kept “${name}”.`;
      nameInput.value = "";
    } catch (e) {
      message.textContent = `Could not keep it: ${e instanceof Error ? e.message : String(e)}.`;
    }
    render();
  });
  nameInput.addEventListener("keydown", (e) => e.key === "Enter" && saveButton.click());
  if (!store.available) {
    saveButton.disabled = true;
    message.textContent = "This browser keeps no data for the page.";
  }
  render();
  return panel;
}

/** The explorer's panel of scenarios kept in this browser: it keeps what `editor` holds, and loads a kept one into `setSource`. */
export function keptScenarios(editor: { value: unknown }, setSource: (s: ExplorerSource) => void): HTMLElement {
  return savedScenariosPanel({
    current: () => ({ scenario: editor.value, ...simulationOf(editor.value) }),
    onLoad: (s) => setSource({ scenario: s.scenario, ...simulationOf(s.scenario), origin: `“${s.name}”, kept in this browser` }),
  });
}
