// Long JavaScript work on a request's path runs in slices: once it has run for `slicing.ms`, it
// waits one turn of the event loop (setImmediate) before going on. Requests that arrived meanwhile,
// and the writer's next statement (every answer from SQLite waits for a turn of the loop), then go
// ahead instead of waiting behind it. The work takes as much CPU as before; nobody waits more than
// a slice for it.

/** How long a slice runs, in ms (tests set 0: a turn of the loop at every check). */
export const slicing = { ms: 4 };

export interface TimeSlices {
  /** True once the current slice has run its time: `await next()` then. */
  readonly due: boolean;
  /** Lets the event loop turn once and starts the next slice. */
  next(): Promise<void>;
}

/** A slice clock for one piece of work, its first slice starting now. */
export function timeSlices(): TimeSlices {
  let started = performance.now();
  return {
    get due() {
      return performance.now() - started >= slicing.ms;
    },
    async next() {
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    },
  };
}
