// One list of the settings page's catalogue (栏目 or 投送频道): its rows in the item form's order,
// each with its buttons (move, deactivate or reactivate, delete while unused) and a rename box,
// and the form that adds a row.
import { Form } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { FormError, SubmitRow, TextField, type FormState } from "~/components/form-kit";
import { intentFormState } from "~/components/intent-form";
import { CATALOG_NAME_MAX, CATALOG_NAMES, type CatalogKind } from "~/domain/catalog-admin";

export interface CatalogRow {
  id: number;
  name: string;
  active: boolean;
  /** Items of any state that use the row. */
  items: number;
}

const CATALOG_HINTS: Record<CatalogKind, string> = {
  category: "信息员写稿时选择的栏目，按下表顺序列出。",
  channel: "稿件拟投送的网站频道，月度通报按频道统计。",
};

const SMALL = "button--secondary button--small";

/** The form's field messages, with the form's own message (and any other) shown beside `name`. */
function besideName(form: FormState, failure: { formError?: string; fieldErrors: Record<string, string> } | null): FormState {
  const fallback = failure ? failure.formError ?? Object.values(failure.fieldErrors)[0] : undefined;
  return { ...form, error: (name) => form.error(name) ?? (name === "name" ? fallback : undefined) };
}

function RowButtons({ kind, row, index, count, activeCount, busy }: {
  kind: CatalogKind; row: CatalogRow; index: number; count: number; activeCount: number; busy: boolean;
}) {
  const label = CATALOG_NAMES[kind];
  return (
    <Form method="post" className="catalog-buttons">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={row.id} />
      <button type="submit" name="intent" value="catalog_up" className={SMALL} disabled={busy || index === 0} aria-label={`上移“${row.name}”`}>
        上移
      </button>
      <button type="submit" name="intent" value="catalog_down" className={SMALL} disabled={busy || index === count - 1} aria-label={`下移“${row.name}”`}>
        下移
      </button>
      {row.active ? (
        <button
          type="submit" name="intent" value="catalog_deactivate" className={SMALL} disabled={busy || activeCount <= 1}
          aria-label={`停用“${row.name}”`} title={activeCount <= 1 ? `至少要保留一个启用的${label}` : undefined}
        >
          停用
        </button>
      ) : (
        <button type="submit" name="intent" value="catalog_reactivate" className={SMALL} disabled={busy} aria-label={`启用“${row.name}”`}>
          启用
        </button>
      )}
      {row.items === 0 ? (
        <button type="submit" name="intent" value="catalog_delete" className={SMALL} disabled={busy} aria-label={`删除“${row.name}”`}>
          删除
        </button>
      ) : null}
    </Form>
  );
}

function RenameBox({ kind, row, failure, busy }: { kind: CatalogKind; row: CatalogRow; failure: unknown; busy: boolean }) {
  const form = intentFormState(failure, "catalog_rename", `${kind}-${row.id}-`);
  return (
    <details className="catalog-rename" open={form.failed}>
      <summary>改名</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="catalog_rename" />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="id" value={row.id} />
        <TextField form={form} name="name" label={`“${row.name}”的新名称`} maxLength={CATALOG_NAME_MAX} required defaultValue={row.name} />
        <SubmitRow label="保存名称" small busy={busy} />
      </Form>
    </details>
  );
}

export function CatalogSection({
  kind, rows, busy, failure,
}: {
  kind: CatalogKind;
  rows: CatalogRow[];
  busy: boolean;
  /** The refused action data when it concerns this list, else null. */
  failure: { formError?: string; fieldErrors: Record<string, string>; values: Record<string, string> } | null;
}) {
  const label = CATALOG_NAMES[kind];
  const intent = failure?.values.intent ?? "";
  const addFailure = intent === "catalog_add" ? failure : null;
  // A rename refused for a row still listed is shown beside that row's box.
  const renamedRow = intent === "catalog_rename" ? rows.find((r) => String(r.id) === failure?.values.id) : undefined;
  // Beside the row's rename box when there is one; otherwise (a move, a deactivation, a row that
  // is gone) above the table.
  const sectionError =
    failure && intent !== "catalog_add" && !renamedRow
      ? failure.formError ?? failure.fieldErrors.id ?? failure.fieldErrors.name ?? Object.values(failure.fieldErrors)[0]
      : renamedRow
        ? failure?.formError
        : undefined;
  const add = besideName(intentFormState(addFailure, "catalog_add", `${kind}-add-`), addFailure);
  const activeCount = rows.filter((r) => r.active).length;
  return (
    <section className="card" id={kind} aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{label}</h2>
      <p className="muted small">
        {CATALOG_HINTS[kind]}停用后写稿时不再可选，已有稿件照常显示原名称；改名后已有稿件随之显示新名称。没有稿件使用的可以删除。
      </p>
      <FormError error={sectionError} />
      <DataTable
        className="data stack-on-phone catalog-table"
        caption={label}
        rows={rows.map((row, index) => ({ row, index }))}
        rowKey={({ row }) => row.id}
        rowClassName={({ row }) => (row.active ? undefined : "inactive")}
        columns={[
          { header: "顺序", numeric: true, className: "catalog-order", cell: ({ index }) => index + 1 },
          { header: "名称", primary: true, cell: ({ row }) => row.name },
          { header: "状态", cell: ({ row }) => (row.active ? <span className="badge badge--ok">启用</span> : <span className="badge">已停用</span>) },
          { header: "稿件数", numeric: true, cell: ({ row }) => row.items },
          {
            header: "操作",
            cell: ({ row, index }) => (
              <div className="row-actions">
                <RowButtons kind={kind} row={row} index={index} count={rows.length} activeCount={activeCount} busy={busy} />
                <RenameBox kind={kind} row={row} failure={renamedRow?.id === row.id ? failure : null} busy={busy} />
              </div>
            ),
          },
        ]}
      />
      <Form method="post" className="catalog-add" noValidate key={addFailure ? "failed" : rows.length}>
        <input type="hidden" name="intent" value="catalog_add" />
        <input type="hidden" name="kind" value={kind} />
        <TextField form={add} name="name" label={`添加${label}`} maxLength={CATALOG_NAME_MAX} required placeholder={`新${label}名称，最多 ${CATALOG_NAME_MAX} 个字`} />
        <button type="submit" disabled={busy}>
          添加
        </button>
      </Form>
    </section>
  );
}
