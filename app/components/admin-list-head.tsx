// The head of the admin's unit and account lists: the title, the link to create one, and the
// link to import many.
import { Link } from "~/components/link";

export function AdminListHead({ title, newHref, newLabel }: { title: string; newHref: string; newLabel: string }) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      <div className="button-row">
        <Link className="button" to={newHref}>
          {newLabel}
        </Link>
        <Link className="button button--secondary" to="/admin/import">
          批量导入
        </Link>
      </div>
    </div>
  );
}
