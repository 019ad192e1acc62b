/** The words of a digest that do not depend on its layout: how an edition's day or week is written, and each paper's one-line summary. */
import { describe, expect, it } from "vitest";
import { editionHeading, editionShortName, longDate } from "../../src/presentation/dates";

describe("longDate", () => {
  it("writes the UTC day out in English", () => {
    expect(longDate("2026-11-26")).toBe("Thursday, 26 November 2026");
    expect(longDate("2024-02-29")).toBe("Thursday, 29 February 2024");
    expect(longDate("2027-01-01")).toBe("Friday, 1 January 2027");
  });
});

describe("editionHeading and editionShortName", () => {
  it("write a daily edition as its day and a weekly one as its week and the days it spans, across months and years", () => {
    expect(editionHeading("2026-11-26")).toBe("Thursday, 26 November 2026");
    expect(editionHeading("2026-W48")).toBe("Week 48 · 23–29 November 2026");
    expect(editionHeading("2026-W49")).toBe("Week 49 · 30 November – 6 December 2026");
    expect(editionHeading("2026-W53")).toBe("Week 53 · 28 December 2026 – 3 January 2027");
    expect(editionShortName("2026-11-26")).toBe("26 Nov 2026");
    expect(editionShortName("2026-W05")).toBe("Week 5, 2026");
  });

  it("refuse what is no edition", () => {
    for (const name of ["2026-02-30", "2025-W53", "2026-W00", "26/11/2026"]) expect(() => editionHeading(name), name).toThrow(RangeError);
  });
});
