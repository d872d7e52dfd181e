// Keyword search over items' titles and bodies: an FTS5 index with the trigram tokenizer (Chinese
// has no spaces between words; trigrams find any substring of three or more characters). The index
// is external-content (it reads the text from `items`, storing only the trigrams) and is kept in
// step by triggers on `items`, which run inside whatever transaction writes the item: an item
// write that rolls back leaves the index as it was, and no model can forget to update it.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table item_search using fts5(title, body, content='items', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`create trigger items_search_insert after insert on items begin
      insert into item_search(rowid, title, body) values (new.id, new.title, new.body);
    end`.execute(db);
  await sql`create trigger items_search_delete after delete on items begin
      insert into item_search(item_search, rowid, title, body) values ('delete', old.id, old.title, old.body);
    end`.execute(db);
  await sql`create trigger items_search_update after update of title, body on items begin
      insert into item_search(item_search, rowid, title, body) values ('delete', old.id, old.title, old.body);
      insert into item_search(rowid, title, body) values (new.id, new.title, new.body);
    end`.execute(db);
  // The items written before this migration.
  await sql`insert into item_search(item_search) values ('rebuild')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists items_search_update`.execute(db);
  await sql`drop trigger if exists items_search_delete`.execute(db);
  await sql`drop trigger if exists items_search_insert`.execute(db);
  await sql`drop table if exists item_search`.execute(db);
}
