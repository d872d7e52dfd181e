// A vocabulary: the codes the database stores with their Chinese names, in display order. One
// object literal declares both; `(typeof X)[number]["code"]` is the type of its codes, and
// `nameOf` the name of a stored code (the code itself when unknown, so nothing shows blank).

export interface Term<K extends string = string> {
  readonly code: K;
  readonly name: string;
}

type Terms<T extends Record<string, string>> = ReadonlyArray<{ [K in keyof T & string]: Term<K> }[keyof T & string]>;

export function vocabulary<const T extends Record<string, string>>(names: T): Terms<T> {
  return Object.entries(names).map(([code, name]) => ({ code, name })) as unknown as Terms<T>;
}

export function nameOf(list: readonly Term[], code: string | null | undefined): string {
  return list.find((x) => x.code === code)?.name ?? (code ?? "");
}
