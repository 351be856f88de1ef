//! Statements put together at run time (a scope's `IN` lists, optional
//! filters), numbering their parameters `$1`, `$2`, … as both databases
//! accept. (sqlx's own builder writes `?` through the `Any` driver, which
//! PostgreSQL rejects.)

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Arguments, Encode, Type};
use std::fmt::Write;

#[derive(Default)]
pub(super) struct Sql<'a> {
    text: String,
    args: AnyArguments<'a>,
    count: usize,
}

impl<'a> Sql<'a> {
    pub(super) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends the next parameter's placeholder and binds `value` to it.
    pub(super) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + Encode<'a, Any> + Type<Any>,
    {
        // Encoding into the `Any` buffer only stores the value: it cannot fail.
        let _ = self.args.add(value);
        self.count += 1;
        let _ = write!(self.text, "${}", self.count);
        self
    }

    /// Appends `$i, $j, …` for each value (or `NULL` for none, so that
    /// `x IN (…)` stays valid and matches nothing).
    pub(super) fn push_list<T, I>(&mut self, values: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: 'a + Encode<'a, Any> + Type<Any>,
    {
        let mut first = true;
        for v in values {
            if !first {
                self.text.push_str(", ");
            }
            first = false;
            self.push_bind(v);
        }
        if first {
            self.text.push_str("NULL");
        }
        self
    }

    pub(super) fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        let args: AnyArguments<'_> = std::mem::take(&mut self.args);
        sqlx::query_with(&self.text, args)
    }
}

/// `INSERT INTO table (columns) VALUES ($1, …)`.
pub(super) fn insert_sql(table: &str, columns: &str) -> String {
    let marks: Vec<String> = (1..=columns.split(',').count())
        .map(|i| format!("${i}"))
        .collect();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({})",
        marks.join(", ")
    )
}

/// `UPDATE table SET c1 = $1, … WHERE id = $n+1 AND version = $n+2`: a
/// whole-row write that loses to anyone who changed the row first.
pub(super) fn versioned_update_sql(table: &str, columns: &str) -> String {
    let sets: Vec<String> = columns
        .split(',')
        .enumerate()
        .map(|(i, col)| format!("{} = ${}", col.trim(), i + 1))
        .collect();
    let n = sets.len();
    format!(
        "UPDATE {table} SET {} WHERE id = ${} AND version = ${}",
        sets.join(", "),
        n + 1,
        n + 2
    )
}
