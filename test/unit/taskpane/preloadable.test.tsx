import { act, fireEvent, render, screen } from "@testing-library/react";
import { Suspense, useState } from "react";
import { describe, expect, it } from "vitest";
import { preloadable } from "../../../src/taskpane/shared/preloadable.js";

/** A view with state of its own, to see whether it was remounted. */
function Counter(props: { label: string }) {
  const [count, setCount] = useState(0);
  return (
    <button data-testid="counter" onClick={() => setCount((c) => c + 1)}>
      {props.label} {count}
    </button>
  );
}

/** A load the test resolves by hand, counting how often it was asked for. */
function manualLoad() {
  let resolve: (c: typeof Counter) => void = () => undefined;
  const control = { calls: 0, resolve: (c: typeof Counter) => resolve(c) };
  const load = () => {
    control.calls += 1;
    return new Promise<typeof Counter>((done) => (resolve = done));
  };
  return { load, control };
}

describe("preloadable views", () => {
  it("renders a preloaded view in the same render, with no fallback on the way", async () => {
    const { load, control } = manualLoad();
    const View = preloadable(load);
    const preloaded = View.preload();
    control.resolve(Counter);
    await preloaded;

    render(
      <Suspense fallback={<span data-testid="fallback" />}>
        <View label="Stored" />
      </Suspense>,
    );

    // Synchronously there, without awaiting anything.
    expect(screen.getByTestId("counter").textContent).toBe("Stored 0");
    expect(screen.queryByTestId("fallback")).toBeNull();
    expect(control.calls).toBe(1);
  });

  it("shows the fallback until the code lands when it was not preloaded, fetching it once", async () => {
    const { load, control } = manualLoad();
    const View = preloadable(load);
    render(
      <Suspense fallback={<span data-testid="fallback" />}>
        <View label="Activity" />
      </Suspense>,
    );
    expect(screen.getByTestId("fallback")).toBeTruthy();
    const prefetch = View.preload(); // a prefetch meanwhile shares the same fetch
    await act(async () => control.resolve(Counter));
    await prefetch;
    expect((await screen.findByTestId("counter")).textContent).toBe("Activity 0");
    expect(control.calls).toBe(1);
  });

  it("keeps an instance that rendered before the code landed (and its state) when it re-renders", async () => {
    const { load, control } = manualLoad();
    const View = preloadable(load);
    const { rerender } = render(
      <Suspense fallback={<span data-testid="fallback" />}>
        <View label="Save" />
      </Suspense>,
    );
    await act(async () => control.resolve(Counter));
    fireEvent.click(await screen.findByTestId("counter"));
    expect(screen.getByTestId("counter").textContent).toBe("Save 1");

    rerender(
      <Suspense fallback={<span data-testid="fallback" />}>
        <View label="Save again" />
      </Suspense>,
    );

    expect(screen.getByTestId("counter").textContent).toBe("Save again 1");
  });
});
