import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, type AppLoadContext } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { z } from "zod";
import { DataTable } from "~/components/data-table";
import { Field, FieldError, FormError, SubmitRow, useFormState } from "~/components/form-kit";
import { ACCOUNT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, UNIT_COLUMNS, type RowProblem } from "~/domain/directory";
import { redirectWithFlash } from "~/lib/flash.server";
import { getConfig } from "~/models/env.server";
import { badRequest, invalid, parseForm, readForm, withUploadDir, type FileRules } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import type { SessionUser } from "~/models/auth.server";
import { importDirectory } from "~/models/import.server";
import { actorOf } from "~/lib/action-data.server";

export const meta: MetaFunction = () => [{ title: "批量导入 - 教育信息报送平台" }];

// Built on use, so that zod stays out of the page's browser bundle.
const schema = () =>
  z.object({
    kind: z.enum(["units", "accounts"], { error: "请选择要导入的内容" }),
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.import");
  return { maxRows: MAX_IMPORT_ROWS, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
}

/** The upload, streamed to the request's upload directory; a file over the cap is a 413. */
async function readUpload(request: Request, uploadDir: string): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) {
    throw badRequest("请通过页面上的表单上传文件。", 415);
  }
  // The page has one file input; a second file is still taken, so that it is refused as a duplicate.
  const rules: FileRules = { dir: uploadDir, maxFileBytes: MAX_IMPORT_BYTES, maxFiles: 2, oversize: [] };
  const form = await readForm(request, { files: rules });
  if (rules.oversize.length > 0) throw badRequest(`文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB 上限，请分批导入。`, 413);
  return form;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.import");
  return withUploadDir(getConfig().dataDir, (uploadDir) => importUpload(request, context, user, uploadDir));
}

async function importUpload(request: Request, context: AppLoadContext, user: SessionUser, uploadDir: string) {
  const form = await readUpload(request, uploadDir);
  const parsed = parseForm(form, schema());
  const file = form.get("file");
  const hasFile = file instanceof File && file.size > 0;
  if (!parsed.ok || !hasFile) {
    const fieldErrors = parsed.ok ? {} : parsed.fieldErrors;
    if (!hasFile) fieldErrors.file = "请选择要导入的文件（.xlsx 或 .csv）";
    return invalid({ ok: false, fieldErrors, values: { kind: String(form.get("kind") ?? "") } });
  }
  const kind = parsed.data.kind;
  const result = await importDirectory(
    context.dbs.db,
    { kind, bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name.slice(0, 200) },
    actorOf(user, context),
  );
  if (!result.ok) {
    return data(
      {
        ok: false as const,
        formError: result.message,
        fieldErrors: {} as Record<string, string>,
        values: { kind },
        problems: result.problems,
        totalProblems: result.totalProblems,
      },
      { status: 400 },
    );
  }
  return kind === "units"
    ? redirectWithFlash("/admin/units", `已导入 ${result.count} 个单位`)
    : redirectWithFlash("/admin/accounts", `已导入 ${result.count} 个账号`);
}

function Columns({ columns }: { columns: ReadonlyArray<{ header: string; hint: string }> }) {
  return (
    <ul className="report-rows">
      {columns.map((c) => (
        <li key={c.header}>
          <strong>{c.header}</strong>：{c.hint}
        </li>
      ))}
    </ul>
  );
}

export default function ImportPage() {
  const failure = useActionData<typeof action>();
  const form = useFormState();
  const busy = useNavigation().state === "submitting";
  const kind = form.value("kind") ?? "units";
  const problems: RowProblem[] = failure && "problems" in failure ? failure.problems : [];
  const totalProblems = failure && "totalProblems" in failure ? failure.totalProblems : 0;
  return (
    <>
      <div className="page-head">
        <h1>批量导入单位和账号</h1>
      </div>

      <section className="card">
        <h2>上传文件</h2>
        <p className="muted small">
          支持 Excel（.xlsx）或 UTF-8 编码的 CSV 文件，第一行为中文表头，一次最多 {MAX_IMPORT_ROWS} 行、{MAX_IMPORT_BYTES / 1024 / 1024} MB。
          {"全部行都通过检查才会导入；只要有一行有误，就什么都不导入，并列出所有问题。"}
        </p>
        <FormError error={form.formError} />
        <Form method="post" encType="multipart/form-data" className="stack" noValidate>
          <fieldset className="field">
            <legend>导入内容</legend>
            <label>
              <input type="radio" name="kind" value="units" defaultChecked={kind !== "accounts"} /> 单位
            </label>
            <label>
              <input type="radio" name="kind" value="accounts" defaultChecked={kind === "accounts"} /> 账号（单位须已存在）
            </label>
            <FieldError id="kind" error={form.error("kind")} />
          </fieldset>
          <Field form={form} name="file" label="文件">
            {(control) => (
              <input {...control} type="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" />
            )}
          </Field>
          <SubmitRow label={busy ? "正在导入…" : "检查并导入"} busy={busy} />
        </Form>
      </section>

      {problems.length > 0 ? (
        <section className="card" aria-labelledby="problems-title">
          <h2 id="problems-title">发现 {totalProblems} 个问题，未导入任何数据</h2>
          {totalProblems > problems.length ? <p className="muted small">只列出前 {problems.length} 个问题。</p> : null}
          <DataTable
            rows={problems.map((p, i) => ({ ...p, i }))}
            rowKey={(p) => p.i}
            columns={[
              { header: "行号", numeric: true, cell: (p) => (p.row > 0 ? `第 ${p.row} 行` : "整个文件") },
              { header: "列", cell: (p) => p.column || "—" },
              { header: "问题", cell: (p) => p.message },
            ]}
          />
        </section>
      ) : null}

      <section className="card">
        <h2>模板与填写说明</h2>
        <div className="button-row">
          <a className="button button--secondary" href="/admin/import/template?kind=units" download>
            下载单位导入模板
          </a>
          <a className="button button--secondary" href="/admin/import/template?kind=accounts" download>
            下载账号导入模板
          </a>
        </div>
        <h3>单位</h3>
        <Columns columns={UNIT_COLUMNS} />
        <h3>账号</h3>
        <Columns columns={ACCOUNT_COLUMNS} />
        <p className="muted small">
          导入的账号首次登录须修改密码。导入后可在 <Link to="/admin/units">单位管理</Link> 和 <Link to="/admin/accounts">账号管理</Link> 中逐个修改。
        </p>
      </section>
    </>
  );
}
