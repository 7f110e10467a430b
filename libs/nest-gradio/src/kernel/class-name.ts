/** The name of the class a decorator was applied to (`target` is its prototype), for error messages. */
export function classNameOf(target: object): string {
  return (target as { constructor?: { name?: string } }).constructor?.name ?? 'anonymous class';
}
