// The order vitest starts test files in. Its own order puts the longest files first when it has
// timings from an earlier run (node_modules/.vite/vitest), and the largest files first when it has
// none, as on CI's clean clone: the soak, a small file that runs for minutes, then started last
// and ran alone at the end. Files named here start first, so the rest run beside them.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Files that take minutes whatever else runs (paths from the repository root). */
export const LONG_RUNNING = [
  "test/integration/fire/soak.test.ts",
  "test/integration/build/production-build.test.ts",
];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = LONG_RUNNING.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
      return at < 0 ? LONG_RUNNING.length : at;
    };
    // A stable sort: files not named keep vitest's order.
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
