/**
 * Builds a parameterised WHERE clause. Column names and SQL fragments come from the
 * calling repository's code, never from input; every value is a bound parameter.
 */
export class SqlWhere {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `column = value`, when a value is given. */
  eq(column: string, value: unknown): this {
    if (value !== undefined) this.clauses.push(`${column} = ${this.bind(value)}`);
    return this;
  }

  /** A clause built with bound values, when `when` holds. */
  add(when: boolean, clause: (bind: (value: unknown) => string) => string): this {
    if (when) this.clauses.push(clause((v) => this.bind(v)));
    return this;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
