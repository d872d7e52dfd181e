// Every migration, listed statically so the bundled server and the tests apply the same set.
import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_initial";
import * as m0002 from "./0002_correspondent_stats";
import * as m0003 from "./0003_notices";
import * as m0004 from "./0004_item_form_tokens";
import * as m0005 from "./0005_channel_stats";
import * as m0006 from "./0006_login_protection";
import * as m0007 from "./0007_movement_number";
import * as m0008 from "./0008_item_search";
import * as m0009 from "./0009_appeals";
import * as m0010 from "./0010_themes";
import * as m0011 from "./0011_requests";
import * as m0012 from "./0012_bulletins";
import * as m0013 from "./0013_year_totals";
import * as m0014 from "./0014_channel_year_totals";
import * as m0015 from "./0015_people_year_totals";
import * as m0016 from "./0016_reached_items_index";
import * as m0017 from "./0017_unit_status_changes";
import * as m0018 from "./0018_snapshot_adopted_items";
import * as m0019 from "./0019_review_event_addresses";
import * as m0020 from "./0020_request_form_tokens";
import * as m0021 from "./0021_log_time_indexes";
import * as m0022 from "./0022_catalog_item_indexes";
import * as m0023 from "./0023_month_figures_index";
import * as m0024 from "./0024_item_text_bands";

export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_correspondent_stats": m0002,
  "0003_notices": m0003,
  "0004_item_form_tokens": m0004,
  "0005_channel_stats": m0005,
  "0006_login_protection": m0006,
  "0007_movement_number": m0007,
  "0008_item_search": m0008,
  "0009_appeals": m0009,
  "0010_themes": m0010,
  "0011_requests": m0011,
  "0012_bulletins": m0012,
  "0013_year_totals": m0013,
  "0014_channel_year_totals": m0014,
  "0015_people_year_totals": m0015,
  "0016_reached_items_index": m0016,
  "0017_unit_status_changes": m0017,
  "0018_snapshot_adopted_items": m0018,
  "0019_review_event_addresses": m0019,
  "0020_request_form_tokens": m0020,
  "0021_log_time_indexes": m0021,
  "0022_catalog_item_indexes": m0022,
  "0023_month_figures_index": m0023,
  "0024_item_text_bands": m0024,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
