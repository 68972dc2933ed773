// Which names the network drawing shows, and on which side of their dots. sigma's own
// choice (the biggest dots of each 100-pixel cell, names always to the right) let names in
// neighbouring cells run over each other and off the drawing's edge. Here names are placed
// most important first (the focus, connectors, then the best connected), to the right of
// their dot or else to its left, and a name is left out where both would cover another dot
// or a name already placed, or cross the edge. Everything left out is still in the panel
// beside the drawing, and shown on hover.

export interface LabelCandidate {
  label: string;
  /** Centre of the dot and its radius, in CSS pixels of the drawing. */
  x: number;
  y: number;
  size: number;
}

/** A name's box (its dot included), in CSS pixels of the drawing. */
export interface LabelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Gap between a dot and its name. */
export const LABEL_OFFSET = 3;
/** Free space kept around each name. */
const MARGIN = 2;
/** Side of the squares boxes are filed by. */
const BUCKET = 64;

const overlaps = (a: LabelBox, b: LabelBox) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

export type LabelSide = 'right' | 'left';

/** Boxes filed by the BUCKET-sized squares they touch, so a box is compared with its neighbours only. */
class BoxIndex<T extends LabelBox> {
  private readonly buckets = new Map<number, T[]>();

  /** Calls `visit` with the key of each square `box` touches until it returns true. */
  private static someKey(box: LabelBox, visit: (key: number) => boolean): boolean {
    for (let bx = Math.floor(box.left / BUCKET); bx <= Math.floor(box.right / BUCKET); bx++) {
      for (let by = Math.floor(box.top / BUCKET); by <= Math.floor(box.bottom / BUCKET); by++) if (visit(bx * 65_536 + by)) return true;
    }
    return false;
  }

  add(box: T): void {
    BoxIndex.someKey(box, (key) => {
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(box);
      else this.buckets.set(key, [box]);
      return false;
    });
  }

  overlaps(box: LabelBox, ignore?: T): boolean {
    return BoxIndex.someKey(box, (key) => this.buckets.get(key)?.some((other) => other !== ignore && overlaps(box, other)) ?? false);
  }
}

/**
 * The candidates (most important first) whose names fit, with the side each goes on: inside
 * `width` × `height`, over no name placed before them and no other dot. `measure` gives a
 * name's width.
 */
export function placeLabels<T extends LabelCandidate>(
  candidates: Iterable<T>,
  measure: (label: string) => number,
  labelSize: number,
  width: number,
  height: number,
): (T & { box: LabelBox; side: LabelSide })[] {
  // Only dots on the drawing can be in the way of a name on it.
  const dots = [...candidates]
    .map((candidate) => {
      const { x, y, size } = candidate;
      return { candidate, left: x - size, top: y - size, right: x + size, bottom: y + size };
    })
    .filter((dot) => dot.candidate.label && dot.right >= 0 && dot.left <= width && dot.bottom >= 0 && dot.top <= height);
  const dotIndex = new BoxIndex<(typeof dots)[number]>();
  dots.forEach((dot) => dotIndex.add(dot));
  const labelIndex = new BoxIndex<LabelBox>();
  const placed: (T & { box: LabelBox; side: LabelSide })[] = [];

  for (const dot of dots) {
    const { label, x, y, size } = dot.candidate;
    const halfHeight = Math.max(size, labelSize / 2) + MARGIN;
    const reach = size + LABEL_OFFSET + measure(label) + MARGIN;
    const own = size + MARGIN;
    const sides = [
      { side: 'right' as const, box: { left: x - own, top: y - halfHeight, right: x + reach, bottom: y + halfHeight } },
      { side: 'left' as const, box: { left: x - reach, top: y - halfHeight, right: x + own, bottom: y + halfHeight } },
    ];
    const fitting = sides.find(
      ({ box }) => box.left >= 0 && box.right <= width && box.top >= 0 && box.bottom <= height && !labelIndex.overlaps(box) && !dotIndex.overlaps(box, dot),
    );
    if (!fitting) continue;
    placed.push({ ...dot.candidate, ...fitting });
    labelIndex.add(fitting.box);
  }
  return placed;
}
