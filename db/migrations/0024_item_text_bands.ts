// The near-duplicate check of the review page compared a viewed item with every item that reached
// the bureau in 12 months: at a province's two million items, its first look read and broke into
// bigrams every text (about a minute, 3 GB). Each item's text now has its MinHash band keys
// (app/domain/text-bands.ts) in `item_text_bands`, so a look reads only the items that share a key.
// The keys are computed in JavaScript, so SQLite cannot keep them itself: triggers put every item
// whose title or body is written (by any write, however made) into `item_text_queue`, and the portal
// works the queue off in the background (app/models/text-bands.server.ts); an item still queued is
// always compared, so nothing is missed while the keys catch up. Every existing item starts queued.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table item_text_bands (band integer not null, item_id integer not null, primary key (band, item_id)) without rowid`.execute(db);
  await sql`create index item_text_bands_item on item_text_bands(item_id)`.execute(db);
  await sql`create table item_text_queue (item_id integer primary key)`.execute(db);
  await sql`create trigger items_text_queue_insert after insert on items begin
      insert or ignore into item_text_queue(item_id) values (new.id);
    end`.execute(db);
  await sql`create trigger items_text_queue_update after update of title, body on items
      when old.title is not new.title or old.body is not new.body begin
      insert or ignore into item_text_queue(item_id) values (new.id);
    end`.execute(db);
  await sql`create trigger items_text_bands_delete after delete on items begin
      delete from item_text_bands where item_id = old.id;
      delete from item_text_queue where item_id = old.id;
    end`.execute(db);
  await sql`insert into item_text_queue(item_id) select id from items`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists items_text_bands_delete`.execute(db);
  await sql`drop trigger if exists items_text_queue_update`.execute(db);
  await sql`drop trigger if exists items_text_queue_insert`.execute(db);
  await sql`drop table if exists item_text_queue`.execute(db);
  await sql`drop table if exists item_text_bands`.execute(db);
}
