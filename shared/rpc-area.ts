// What an area of the RPC contract is (a table of methods, each with its params schema and
// result type) and how the areas become one contract: `combineAreas` refuses a method name
// two areas declare, since merging tables would silently let one replace the other.
import type { z } from 'zod';

/** Phantom marker for a method's result type. */
export const returns = <T>() => undefined as unknown as T;

export interface MethodSpec {
  params: z.ZodType;
  result: unknown;
}

/** One area's methods, by their names on the wire (`record.get`). */
export type AreaMethods = Readonly<Record<string, MethodSpec>>;

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;

/** Every area's methods in one table. */
export type CombinedMethods<Areas extends Record<string, AreaMethods>> = UnionToIntersection<Areas[keyof Areas]>;

/** Method names declared by more than one of the areas. */
type SharedNames<Areas extends Record<string, AreaMethods>> = {
  [A in keyof Areas]: keyof Areas[A] & keyof Areas[Exclude<keyof Areas, A>];
}[keyof Areas];

/**
 * The areas (by area name) as one table of methods. A name declared by two areas is
 * refused: by the compiler, which names the method, and at start, naming both areas.
 */
export function combineAreas<const Areas extends Record<string, AreaMethods>>(
  areas: Areas & ([SharedNames<Areas>] extends [never] ? unknown : { methodsDeclaredTwice: SharedNames<Areas> }),
): CombinedMethods<Areas> {
  const combined: Record<string, MethodSpec> = {};
  const areaOf = new Map<string, string>();
  for (const [area, methods] of Object.entries(areas)) {
    for (const [method, spec] of Object.entries(methods)) {
      const first = areaOf.get(method);
      if (first !== undefined) throw new Error(`RPC method "${method}" is declared by two areas, "${first}" and "${area}": each name must be unique`);
      areaOf.set(method, area);
      combined[method] = spec;
    }
  }
  return combined as CombinedMethods<Areas>;
}
