// Defensive decoding of a Yjs update received from the network, before it is stored or
// applied anywhere. Malformed updates have thrown deep inside Yjs or sent it into
// pathological work (yjs#479, #687): absurd clocks and lengths are the usual trigger,
// so those are refused here, and the update is decoded and applied to a scratch doc
// inside a try so any decoder failure becomes a plain refusal.
import * as Y from 'yjs';

/** No honest device produces a clock (operation counter) anywhere near this. */
const MAX_CLOCK = 2 ** 31;

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/**
 * Null if the update decodes cleanly and is plausible; otherwise what is wrong with it.
 * It is applied to `target` if given (the caller's doc, left holding it), else to a scratch
 * doc. `decoded` receives what it decoded, for a caller that walks the update's changes.
 */
export function checkUpdate(update: Uint8Array, target?: Y.Doc, decoded?: (update: Decoded) => void): string | null {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      if (struct.length < 0 || struct.id.clock + struct.length > MAX_CLOCK) {
        return `a change claims clock ${struct.id.clock}+${struct.length}, beyond any real device's`;
      }
    }
    for (const ranges of ds.clients.values()) {
      for (const range of ranges) {
        if (range.len < 0 || range.clock + range.len > MAX_CLOCK) return `a deletion claims clock ${range.clock}+${range.len}, beyond any real device's`;
      }
    }
    decoded?.({ structs, ds });
    if (target) {
      Y.applyUpdate(target, update);
      return null;
    }
    // A guid of its own: Yjs would otherwise draw a random UUID, 31 calls to getRandomValues.
    const scratch = new Y.Doc({ guid: 'scratch' });
    try {
      Y.applyUpdate(scratch, update);
    } finally {
      scratch.destroy();
    }
    return null;
  } catch (error) {
    return `it is not a valid Yjs update (${error instanceof Error ? error.message : String(error)})`;
  }
}
