// Generated from data/figures/*.json by `npm run figures`; do not edit.
import type { FigureTable } from "./table.js";

export const FIGURE_TABLES: readonly FigureTable[] = [
  {
    "table": "discount-rate",
    "title": "Discount rates",
    "description": "Real rates per year at which future costs and benefits are brought to today's value.",
    "rows": [
      {
        "id": "asek-social",
        "label": "Swedish social discount rate (transport appraisal, ASEK), real",
        "value": 0.035,
        "unit": "per year",
        "year": 2012,
        "priceBasis": null,
        "source": "Trafikverket, ASEK (Analysmetod och samhällsekonomiska kalkylvärden för transportsektorn), social discount rate 3.5 % real since ASEK 5 (2012)",
        "note": "The Swedish public sector's de facto standard; ESO reports discuss it for other sectors."
      },
      {
        "id": "green-book-stpr",
        "label": "UK social time preference rate (HM Treasury Green Book), real",
        "value": 0.035,
        "unit": "per year",
        "year": 2003,
        "priceBasis": null,
        "source": "HM Treasury, The Green Book: social time preference rate 3.5 % real for the first 30 years",
        "note": "Declines after 30 years; the kit's horizons are shorter."
      }
    ]
  },
  {
    "table": "exclusion-cost",
    "title": "Lifetime cost of exclusion from work and education",
    "description": "What society loses over a lifetime when a young person stays outside work (utanförskap). The gross figures add transfers (which move money, not resources) to real resource costs: treat them as an upper bound.",
    "rows": [
      {
        "id": "gross-lifetime-nilsson-wadeskog",
        "label": "Lifetime societal cost of one young person excluded from work (gross)",
        "low": 10000000,
        "high": 15000000,
        "unit": "SEK per person",
        "year": 2008,
        "priceBasis": null,
        "source": "Ingvar Nilsson and Anders Wadeskog, socioeconomic accounts of exclusion (utanförskap) for Skandia Idéer för livet, e.g. Det är bättre att stämma i bäcken än i ån (Skandia, 2008); not re-checked against the report",
        "note": "UPPER BOUND: undiscounted gross sums that mix transfers and real resource costs. Publication year and price year not verified here, so it cannot be price-adjusted."
      },
      {
        "id": "no-upper-secondary-hok-sanandaji",
        "label": "Lost earnings and taxes per person without upper secondary education",
        "value": 3600000,
        "unit": "SEK per person",
        "year": 2017,
        "priceBasis": null,
        "source": "derived: Hök & Sanandaji (2017), 'Samhällsförlusten av skolmisslyckande och värdet av att rädda fler i varje årskull' (Skandia Idéer för livet): 53 billion SEK of lost earnings and tax revenue over the working life (ages 24–65) of the 14,746 24-year-olds without upper secondary education (Göteborgs-Posten debate article; Skandia press release 2017); 53e9 / 14,746 = 3.59 MSEK each",
        "url": "https://www.skandia.se/om-oss/nyheter/nyhetsarkiv/2017/skolmisslyckande-kan-ge-miljardforlust/",
        "note": "A narrower lifetime estimate than the gross figures. About half is the individuals' lower incomes, half the public sector's lower tax revenue (tax-wedge/public-share-hok-sanandaji-2017): the sum is the value of the lost work once, with the taxes a transfer inside it, not on top of it. Price year not verified, so it cannot be price-adjusted."
      }
    ]
  },
  {
    "table": "kpi",
    "title": "Consumer price index (KPI), annual averages, 1980 = 100",
    "description": "Statistics Sweden's consumer price index, fixed figures (fastställda tal), annual average. Brings a SEK figure from its price year to another: value × KPI(to) / KPI(from).",
    "rows": [
      {
        "id": "2010",
        "label": "KPI annual average 2010",
        "value": 303.46,
        "unit": "index, 1980 = 100",
        "year": 2010,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "url": "https://www.scb.se/hitta-statistik/statistik-efter-amne/priser-och-konsumtion/konsumentprisindex/konsumentprisindex-kpi/pong/tabell-och-diagram/konsumentprisindex-kpi/kpi-faststallda-tal-1980100/",
        "note": ""
      },
      {
        "id": "2011",
        "label": "KPI annual average 2011",
        "value": 311.43,
        "unit": "index, 1980 = 100",
        "year": 2011,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2012",
        "label": "KPI annual average 2012",
        "value": 314.2,
        "unit": "index, 1980 = 100",
        "year": 2012,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2013",
        "label": "KPI annual average 2013",
        "value": 314.06,
        "unit": "index, 1980 = 100",
        "year": 2013,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2014",
        "label": "KPI annual average 2014",
        "value": 313.49,
        "unit": "index, 1980 = 100",
        "year": 2014,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2015",
        "label": "KPI annual average 2015",
        "value": 313.35,
        "unit": "index, 1980 = 100",
        "year": 2015,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2016",
        "label": "KPI annual average 2016",
        "value": 316.43,
        "unit": "index, 1980 = 100",
        "year": 2016,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2017",
        "label": "KPI annual average 2017",
        "value": 322.11,
        "unit": "index, 1980 = 100",
        "year": 2017,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2018",
        "label": "KPI annual average 2018",
        "value": 328.4,
        "unit": "index, 1980 = 100",
        "year": 2018,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2019",
        "label": "KPI annual average 2019",
        "value": 334.26,
        "unit": "index, 1980 = 100",
        "year": 2019,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2020",
        "label": "KPI annual average 2020",
        "value": 335.92,
        "unit": "index, 1980 = 100",
        "year": 2020,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2021",
        "label": "KPI annual average 2021",
        "value": 343.19,
        "unit": "index, 1980 = 100",
        "year": 2021,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2022",
        "label": "KPI annual average 2022",
        "value": 371.91,
        "unit": "index, 1980 = 100",
        "year": 2022,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": ""
      },
      {
        "id": "2023",
        "label": "KPI annual average 2023",
        "value": 403.7,
        "unit": "index, 1980 = 100",
        "year": 2023,
        "priceBasis": null,
        "source": "SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        "note": "The latest complete year verified in this session."
      }
    ]
  },
  {
    "table": "lending-rate",
    "title": "Municipal lending rates",
    "description": "What Swedish municipalities pay to borrow (mostly from Kommuninvest, the municipalities' own credit institution): the rate at which a payer could fund a programme itself instead of through a social outcomes contract. Nominal rates per year.",
    "rows": [
      {
        "id": "kommuninvest-average-2019q4",
        "label": "Local government sector's average interest rate, Q4 2019",
        "value": 0.0115,
        "unit": "per year",
        "year": 2019,
        "priceBasis": null,
        "source": "Kommuninvest, 'Nya siffror om kommunsektorns skuldförvaltning' (March 2020): the sector's average interest rate fell to 1.15 percent in Q4 2019",
        "url": "https://kommuninvest.se/2020/03/nya-siffror-om-kommunsektorns-skuldforvaltning/",
        "note": "The low-rate years in which the Norrköping contract ran (2016–2021); the average of the whole debt, not a new loan."
      },
      {
        "id": "kommuninvest-average-2024q3",
        "label": "Local government sector's average interest rate, Q3 2024",
        "value": 0.0245,
        "unit": "per year",
        "year": 2024,
        "priceBasis": null,
        "source": "Kommuninvest, quarterly report 'Local Government Debt Management', Q3 2024 (press release via TT): the average interest rate fell from 2.55 to 2.45 percent",
        "url": "https://via.tt.se/pressmeddelande/3830033/quarterly-report-on-local-government-debt-management-average-interest-rate-to-fall-for-the-first-time-in-three-years",
        "note": "Based on 9,605 loans, commercial paper and bonds totalling SEK 669 billion."
      },
      {
        "id": "kommuninvest-new-2024q2",
        "label": "Average interest rate on new borrowing, including derivatives, Q2 2024",
        "value": 0.0349,
        "unit": "per year",
        "year": 2024,
        "priceBasis": null,
        "source": "Kommuninvest, quarterly report 'Local Government Debt Management', Q3 2024 (press release via TT): the rate on new deals fell to 2.91 percent in Q3 2024 from 3.49 percent in Q2 2024",
        "url": "https://via.tt.se/pressmeddelande/3830033/quarterly-report-on-local-government-debt-management-average-interest-rate-to-fall-for-the-first-time-in-three-years",
        "note": "The dearest recent new borrowing: what a loan taken in 2024 cost."
      },
      {
        "id": "kommuninvest-new-2025q1",
        "label": "Average interest rate on new borrowing, including derivatives, Q1 2025",
        "value": 0.0269,
        "unit": "per year",
        "year": 2025,
        "priceBasis": null,
        "source": "Kommuninvest, quarterly report 'Local Government Debt Management', Q1 2025 (press release via TT): the interest rate on new business was 2.69 percent; the sector's average 2.32 percent",
        "url": "https://via.tt.se/pressmeddelande/3899043/quarterly-report-on-local-government-debt-management-average-interest-rate-falls-for-third-quarter-in-a-row",
        "note": "Fixed for 2.13 years on average."
      }
    ]
  },
  {
    "table": "placement-cost",
    "title": "Swedish placement costs per day",
    "description": "What a day in out-of-home care costs the municipality (the payer) or society. SiS fees are what SiS charges a municipality; the state pays the rest of SiS's full cost.",
    "rows": [
      {
        "id": "sis-acute-2020",
        "label": "SiS youth care fee: acute ward (open or lockable), Jul–Dec 2020",
        "value": 5328,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling; press release 'Kraftigt sänkt avgift i SiS ungdomsvård', 2020)",
        "url": "https://www.stat-inst.se/press/pressmeddelanden-nyheter/2020/kraftigt-sankt-avgift-i-sis-ungdomsvard/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020; the fee without it was about 1/0.72 times higher."
      },
      {
        "id": "sis-assessment-open-2020",
        "label": "SiS youth care fee: assessment ward, open, Jul–Dec 2020",
        "value": 4392,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling)",
        "url": "https://www.stat-inst.se/om-sis/lagar-forordningar-forfattningar/sis-forfattningssamling/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020."
      },
      {
        "id": "sis-assessment-lockable-2020",
        "label": "SiS youth care fee: assessment ward, lockable, Jul–Dec 2020",
        "value": 5328,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling)",
        "url": "https://www.stat-inst.se/om-sis/lagar-forordningar-forfattningar/sis-forfattningssamling/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020."
      },
      {
        "id": "sis-treatment-open-2020",
        "label": "SiS youth care fee: treatment ward, open, Jul–Dec 2020",
        "value": 3528,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling)",
        "url": "https://www.stat-inst.se/om-sis/lagar-forordningar-forfattningar/sis-forfattningssamling/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020."
      },
      {
        "id": "sis-treatment-lockable-2020",
        "label": "SiS youth care fee: treatment ward, lockable, Jul–Dec 2020",
        "value": 5400,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling)",
        "url": "https://www.stat-inst.se/om-sis/lagar-forordningar-forfattningar/sis-forfattningssamling/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020."
      },
      {
        "id": "sis-special-unit-2020",
        "label": "SiS youth care fee: special units (Trollebo, Långanäs; Kullen, Brättegården), Jul–Dec 2020",
        "value": 9504,
        "unit": "SEK/day",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Statens institutionsstyrelse, vårdavgifter 3 § LVU 1 Jul–31 Dec 2020 (SiS författningssamling)",
        "url": "https://www.stat-inst.se/om-sis/lagar-forordningar-forfattningar/sis-forfattningssamling/",
        "note": "After the temporary 28 % state subsidy of Jul–Dec 2020."
      },
      {
        "id": "sis-full-cost-2023",
        "label": "SiS full cost per person and day, 2023 (lower bound)",
        "value": 13000,
        "unit": "SEK/day",
        "year": 2023,
        "priceBasis": {
          "currency": "SEK",
          "year": 2023
        },
        "source": "Riksrevisionen (Swedish National Audit Office), audit report RiR 2024:7 on the National Board of Institutional Care (SiS), 2024, https://www.riksrevisionen.se: 'above 13,000 SEK per person and day'",
        "note": "A lower bound ('above'); not re-checked against the report itself in this session."
      },
      {
        "id": "institutional-municipal-spread",
        "label": "Institutional care for children: spread of municipalities' cost per day",
        "low": 1100,
        "high": 8400,
        "unit": "SEK/day",
        "year": 2015,
        "priceBasis": null,
        "source": "Socialstyrelsen's municipal cost comparison, as summarised by hejaolika.se",
        "note": "The spread between municipalities, not an uncertainty interval; year and price basis of the summary not verified."
      },
      {
        "id": "helsingborg-institutional-2014",
        "label": "Helsingborg: institutional care, cost per day and child, 2014",
        "value": 3001,
        "unit": "SEK/day",
        "year": 2014,
        "priceBasis": {
          "currency": "SEK",
          "year": 2014
        },
        "source": "Helsingborgs stad, årsredovisning (annual report) 2015, https://helsingborg.se",
        "note": "One municipality; not re-checked against the annual report in this session."
      },
      {
        "id": "helsingborg-institutional-2015",
        "label": "Helsingborg: institutional care, cost per day and child, 2015",
        "value": 2636,
        "unit": "SEK/day",
        "year": 2015,
        "priceBasis": {
          "currency": "SEK",
          "year": 2015
        },
        "source": "Helsingborgs stad, årsredovisning (annual report) 2015, https://helsingborg.se",
        "note": "One municipality; not re-checked against the annual report in this session."
      },
      {
        "id": "family-home-basic-fee-2023",
        "label": "Family home (familjehem): basic fee, 2023",
        "value": 11237,
        "unit": "SEK/month",
        "year": 2023,
        "priceBasis": {
          "currency": "SEK",
          "year": 2023
        },
        "source": "Sveriges Kommuner och Regioner (SKR), recommended payments to family homes (Ersättningar till familjehem), 2023, https://skr.se",
        "note": "Before the expense compensation and the social services' own costs."
      },
      {
        "id": "family-home-expenses-2020",
        "label": "Family home: expense compensation by the child's age",
        "low": 4363,
        "high": 6942,
        "unit": "SEK/month",
        "year": 2020,
        "priceBasis": {
          "currency": "SEK",
          "year": 2020
        },
        "source": "Sveriges Kommuner och Regioner (SKR), cirkulär 20:52, payments to family homes (Ersättningar till familjehem), 2020, https://skr.se",
        "note": "Low and high are the youngest and oldest age bands, not an uncertainty interval."
      },
      {
        "id": "family-home-per-day",
        "label": "Family home: fee plus expense compensation per day",
        "low": 513,
        "high": 598,
        "unit": "SEK/day",
        "year": 2023,
        "priceBasis": {
          "currency": "SEK",
          "year": 2023
        },
        "source": "derived: (11 237 + 4 363) × 12 / 365 ≈ 513 and (11 237 + 6 942) × 12 / 365 ≈ 598 SEK/day from the rows family-home-basic-fee-2023 and family-home-expenses-2020 (SKR)",
        "note": "Before the social services' own costs (recruitment, supervision) and before any reinforcement (förstärkt familjehem); mixes 2020 and 2023 fee levels. The rounder 520–800 SEK/day of docs/domain.md includes higher fees."
      }
    ]
  },
  {
    "table": "replacement",
    "title": "Re-placement and breakdown rates",
    "description": "How often a child who has gone home is placed again, and how often a placement ends unplanned.",
    "rows": [
      {
        "id": "reentry-within-2y",
        "label": "Re-placed in out-of-home care within two years of going home (children 0–15)",
        "value": 0.3,
        "unit": "share",
        "year": 2004,
        "priceBasis": null,
        "source": "Vinnerljung, Öman & Gunnarson (2004), 'Återplaceringar av barn i dygnsvård (I): hur vanligt är det?', Socialvetenskaplig tidskrift; 22 203 care episodes ended 1989–1998",
        "note": "About 30 %, as in the US; higher for teenagers and after short stays, low after very long stays (> 5 years). The brief cites it as Vinnerljung, Hjern & Öman 2004, the companion article (II) on risk factors."
      },
      {
        "id": "teen-breakdown",
        "label": "Teenage placements ending unplanned (breakdown)",
        "value": 0.3,
        "unit": "share",
        "year": 2001,
        "priceBasis": null,
        "source": "Vinnerljung, Sallnäs & Kyhle Westermark (2001), report on breakdowns of teenage placements (cited in Vinnerljung, Öman & Gunnarson 2004)",
        "note": "About 30 % across placement types; the exact figure is from the project's notes (docs/domain.md), not re-checked in the report."
      },
      {
        "id": "breakdown-one-county",
        "label": "Youth-home placements ending unplanned in one county, in a year",
        "value": 0.4,
        "unit": "share",
        "year": 2019,
        "priceBasis": null,
        "source": "Sveriges Radio P4 Kalmar, news report on unplanned endings of youth-home placements in Kalmar county (not re-checked; https://sverigesradio.se)",
        "note": "One county and one year; year not verified. An upper reference, not a national rate."
      }
    ]
  },
  {
    "table": "school",
    "title": "School completion for placed and other children",
    "description": "Shares completing compulsory and upper secondary school, for children placed in care and for others.",
    "rows": [
      {
        "id": "upper-secondary-by-20-placed",
        "label": "Upper secondary completed by age 20: children placed all of year 9",
        "low": 0.37,
        "high": 0.38,
        "unit": "share",
        "year": 2016,
        "priceBasis": null,
        "source": "Socialstyrelsen (National Board of Health and Welfare), Öppna jämförelser 2017–18: social barn- och ungdomsvård (placed children's education), 2015–16 data, https://www.socialstyrelsen.se",
        "note": "Not re-checked against the report in this session."
      },
      {
        "id": "upper-secondary-by-20-others",
        "label": "Upper secondary completed by age 20: other children",
        "value": 0.79,
        "unit": "share",
        "year": 2016,
        "priceBasis": null,
        "source": "Socialstyrelsen (National Board of Health and Welfare), Öppna jämförelser 2017–18: social barn- och ungdomsvård, 2015–16 data, https://www.socialstyrelsen.se",
        "note": "Not re-checked against the report in this session."
      },
      {
        "id": "compulsory-by-17-placed",
        "label": "Compulsory school completed by 17: children placed part of year 9",
        "value": 0.75,
        "unit": "share",
        "year": 2018,
        "priceBasis": null,
        "source": "Sveriges Kommuner och Regioner (SKR), figures on compulsory-school completion of placed children, 2018 data (the publication not re-checked), https://skr.se",
        "note": "Not re-checked in this session."
      },
      {
        "id": "compulsory-by-17-others",
        "label": "Compulsory school completed by 17: other children",
        "value": 0.95,
        "unit": "share",
        "year": 2018,
        "priceBasis": null,
        "source": "Sveriges Kommuner och Regioner (SKR), figures on compulsory-school completion of placed children, 2018 data (the publication not re-checked), https://skr.se",
        "note": "Not re-checked in this session."
      }
    ]
  },
  {
    "table": "tax-wedge",
    "title": "Taxes on earnings",
    "description": "The share of the cost of work that goes to the public sector as taxes and contributions: when a young person works instead of being excluded, this share of the value of the work is a transfer to taxpayers, the rest the person's own gain.",
    "rows": [
      {
        "id": "oecd-average-worker-2017",
        "label": "Tax wedge of the average single worker in Sweden, share of labour costs, 2017",
        "value": 0.429,
        "unit": "share of labour cost",
        "year": 2017,
        "priceBasis": null,
        "source": "OECD, Taxing Wages 2018, 'Key findings for Sweden': the average single worker in Sweden faced a tax wedge of 42.9 % in 2017 (income tax plus employee and employer contributions, as a share of labour costs; OECD publications list, 26 April 2018)",
        "url": "http://www.oecd.org/fr/fiscalite/publicationsdocuments/5/",
        "note": "An average earner; people without upper secondary education earn less, and Sweden's basic deduction and earned-income tax credit lower their income tax, so their wedge is lower."
      },
      {
        "id": "payroll-tax-2015",
        "label": "Employer's contributions (arbetsgivaravgifter), share of the gross wage, 2014–2015",
        "value": 0.3142,
        "unit": "share of gross wage",
        "year": 2015,
        "priceBasis": null,
        "source": "Skatteverket's rates for 2014 and 2015 as tabulated by expowera.se ('Arbetsgivaravgifter och preliminärskatt'): 31.42 % in all; unchanged through 2022 (annaleijon.se)",
        "note": "derived: 0.3142 / 1.3142 = 23.9 % of labour cost goes to the state before any income tax: the floor of the wedge."
      },
      {
        "id": "public-share-hok-sanandaji-2017",
        "label": "Public sector's share of the loss from not completing upper secondary school",
        "value": 0.5,
        "unit": "share of the loss",
        "year": 2017,
        "priceBasis": null,
        "source": "Skandia, 'Skolmisslyckande kan ge miljardförlust' (2017), on Hök & Sanandaji, 'Samhällsförlusten av skolmisslyckande': about half of the 53 billion SEK loss falls on individuals as lower incomes, the other half on the public sector as lower tax revenue",
        "url": "https://www.skandia.se/om-oss/nyheter/nyhetsarkiv/2017/skolmisslyckande-kan-ge-miljardforlust/",
        "note": "'About half': the study's own split, which may include taxes on consumption as well as on earnings."
      }
    ]
  }
];
