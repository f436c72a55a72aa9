// Where a value sits in a resource's JSON, as a chain of steps rendered only when an error or a
// reference names it. Encoding walks every field of every resource; building each field's path as
// a string (with JSON.stringify for map keys) was a large part of what encoding allocated.

type StepKind = 'root' | 'key' | 'index' | 'entry' | 'any';

export class JsonPath {
  static readonly ROOT = new JsonPath(undefined, 'root', '');

  private constructor(
    private readonly parent: JsonPath | undefined,
    private readonly kind: StepKind,
    private readonly value: string | number,
  ) {}

  /** An object field: `a.b`. */
  key(key: string): JsonPath {
    return new JsonPath(this, 'key', key);
  }

  /** An array element: `a[0]`. */
  index(index: number): JsonPath {
    return new JsonPath(this, 'index', index);
  }

  /** A map entry: `a["k"]`. */
  entry(key: string): JsonPath {
    return new JsonPath(this, 'entry', key);
  }

  /** The message inside an Any: `a<envoy.type.Name>` (left out by `withoutAnys`). */
  any(typeName: string): JsonPath {
    return new JsonPath(this, 'any', typeName);
  }

  toString(): string {
    return this.render(true);
  }

  /** The path in the input's JSON keys alone, without the Any types' marks. */
  withoutAnys(): string {
    return this.render(false);
  }

  private render(anys: boolean): string {
    const steps: JsonPath[] = [];
    if (this.kind !== 'root') steps.push(this);
    for (let at = this.parent; at !== undefined && at.kind !== 'root'; at = at.parent) steps.push(at);
    let out = '';
    for (const { kind, value } of steps.reverse()) {
      if (kind === 'key') out = out === '' ? String(value) : `${out}.${value}`;
      else if (kind === 'index') out = `${out}[${value}]`;
      else if (kind === 'entry') out = `${out}[${JSON.stringify(value)}]`;
      else if (anys) out = `${out}<${value}>`;
    }
    return out;
  }
}
