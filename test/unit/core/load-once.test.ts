import { describe, expect, it } from "vitest";
import { loadOnce } from "../../../src/core/load-once.js";

describe("loadOnce", () => {
  it("runs the load once for callers asking at the same time, and keeps its answer", async () => {
    let runs = 0;
    const load = loadOnce(async () => ({ run: ++runs }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toBe(a);
    expect(runs).toBe(1);
  });

  it("runs the load again after it failed, and keeps the answer that came", async () => {
    let runs = 0;
    const load = loadOnce(async () => {
      runs += 1;
      if (runs === 1) throw new Error("the script did not arrive");
      return "loaded";
    });
    await expect(load()).rejects.toThrow("the script did not arrive");
    expect(await load()).toBe("loaded");
    expect(await load()).toBe("loaded");
    expect(runs).toBe(2);
  });
});
