//! The two schemas stay equivalent: after every migration of each backend,
//! SQLite and PostgreSQL have the same tables with the same columns (name,
//! order, kind of type, nullability, primary key), the same indexes, unique
//! constraints and foreign keys. A migration written for one database and
//! forgotten for the other fails here.

#![allow(clippy::unwrap_used)]

use gridline_api::store::Store;
use gridline_api::store::sql::{PoolSize, SqlStore};
use sqlx::{PgPool, SqlitePool};
use std::collections::BTreeMap;

mod support;
use support::database;

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// (name, type kind, not null, part of the primary key), in order.
    columns: Vec<(String, &'static str, bool, bool)>,
    /// Explicit indexes: name → (unique, partial, columns).
    indexes: BTreeMap<String, (bool, bool, Vec<String>)>,
    /// Unique constraints by their columns.
    uniques: Vec<Vec<String>>,
    /// Foreign keys: (columns, referenced table, referenced columns, on delete).
    foreign_keys: Vec<(Vec<String>, String, Vec<String>, String)>,
}

type Schema = BTreeMap<String, Table>;

fn kind(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "real" | "double precision" => "real",
        "text" => "text",
        "blob" | "bytea" => "blob",
        other => panic!("a column of type {other:?}: neither database's schema should have one"),
    }
}

fn on_delete(action: &str) -> String {
    match action {
        "NO ACTION" | "a" => "no action",
        "CASCADE" | "c" => "cascade",
        "SET NULL" | "n" => "set null",
        "RESTRICT" | "r" => "restrict",
        "SET DEFAULT" | "d" => "set default",
        other => panic!("on delete {other:?}"),
    }
    .to_owned()
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for t in tables {
        let mut table = Table::default();
        let cols: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        for (name, ty, notnull, pk) in cols {
            // SQLite lets a TEXT primary key hold NULL; PostgreSQL does not,
            // and nothing stores one: a key column counts as NOT NULL.
            table
                .columns
                .push((name, kind(&ty), notnull != 0 || pk != 0, pk != 0));
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(&t)
                .fetch_all(pool)
                .await
                .unwrap();
        for (name, unique, origin, partial) in indexes {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            match origin.as_str() {
                "c" => {
                    table
                        .indexes
                        .insert(name, (unique != 0, partial != 0, columns));
                }
                "u" => table.uniques.push(columns),
                _ => {} // the primary key's own index
            }
        }
        table.uniques.sort();
        let fks: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
        for (id, target, from, to, action) in fks {
            let e = by_id
                .entry(id)
                .or_insert_with(|| (vec![], target, vec![], on_delete(&action)));
            e.0.push(from);
            e.2.push(to);
        }
        table.foreign_keys = by_id.into_values().collect();
        table.foreign_keys.sort();
        schema.insert(t, table);
    }
    schema
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for t in tables {
        let mut table = Table::default();
        let pk: Vec<String> = sqlx::query_scalar(
            "SELECT a.attname::text FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = $1::regclass AND i.indisprimary",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        let cols: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        for (name, ty, nullable) in cols {
            let key = pk.contains(&name);
            table.columns.push((name, kind(&ty), nullable == "NO", key));
        }
        // Indexes not made by a constraint; then the unique constraints.
        let indexes: Vec<(String, bool, bool, Vec<String>)> = sqlx::query_as(
            "SELECT c.relname::text, i.indisunique, i.indpred IS NOT NULL, \
               ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE i.indrelid = $1::regclass \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid)",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        for (name, unique, partial, columns) in indexes {
            table.indexes.insert(name, (unique, partial, columns));
        }
        let uniques: Vec<Vec<String>> = sqlx::query_scalar(
            "SELECT ARRAY(SELECT a.attname::text FROM unnest(x.conkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.n ORDER BY k.o) \
             FROM pg_constraint x WHERE x.conrelid = $1::regclass AND x.contype = 'u'",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        table.uniques = uniques;
        table.uniques.sort();
        let fks: Vec<(Vec<String>, String, Vec<String>, String)> = sqlx::query_as(
            "SELECT \
               ARRAY(SELECT a.attname::text FROM unnest(x.conkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.n ORDER BY k.o), \
               x.confrelid::regclass::text, \
               ARRAY(SELECT a.attname::text FROM unnest(x.confkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = x.confrelid AND a.attnum = k.n ORDER BY k.o), \
               x.confdeltype::text \
             FROM pg_constraint x WHERE x.conrelid = $1::regclass AND x.contype = 'f'",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        table.foreign_keys = fks
            .into_iter()
            .map(|(from, target, to, action)| (from, target, to, on_delete(&action)))
            .collect();
        table.foreign_keys.sort();
        schema.insert(t, table);
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgresql_schemas_are_the_same_after_every_migration() {
    let Some(server) = database::postgres_server() else {
        eprintln!(
            "skipped: set {} to a PostgreSQL server (scripts/test does)",
            database::URL_VAR
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite_path = dir.path().join("schema.db");
    SqlStore::open(&sqlite_path)
        .await
        .unwrap()
        .migrate()
        .await
        .unwrap();
    let db = database::PgDatabase::create(&server).await;
    SqlStore::open_url(db.url(), PoolSize(2))
        .await
        .unwrap()
        .migrate()
        .await
        .unwrap();

    let sqlite = SqlitePool::connect(&format!("sqlite://{}", sqlite_path.display()))
        .await
        .unwrap();
    let postgres = PgPool::connect(db.url()).await.unwrap();
    let lite = sqlite_schema(&sqlite).await;
    let pg = postgres_schema(&postgres).await;
    postgres.close().await;

    assert!(
        lite.len() > 20,
        "the SQLite schema has its tables: {lite:?}"
    );
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (name, table) in &lite {
        assert_eq!(
            Some(table),
            pg.get(name),
            "table {name}: SQLite, then PostgreSQL"
        );
    }
}
