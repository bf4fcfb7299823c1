//! The plans PostgreSQL makes for the list queries, so a test can prove
//! every list reads an index and never scans all tickets.
//!
//! A statement is explained exactly as the services run it, SQL and bound
//! values alike, and twice: the custom plan PostgreSQL makes for these
//! values, and the generic plan it may switch to once a prepared statement
//! has run five times (sqlx keeps statements prepared on each connection,
//! so in production most executions can use the generic plan).

use super::{Db, ServiceError};
use serde_json::Value;
use sqlx::error::BoxDynError;
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, AssertSqlSafe, Encode, Execute, Postgres, QueryBuilder, SqlStr, Type};

/// A query as a service runs it: the SQL and the values bound to it.
pub(crate) struct Statement {
    pub(crate) sql: SqlStr,
    pub(crate) args: PgArguments,
}

fn encode_error(e: BoxDynError) -> ServiceError {
    ServiceError::Internal(format!("cannot encode a query value: {e}"))
}

impl Statement {
    /// Fixed SQL; bind its `$1, $2, ...` in order with [`Statement::bind`].
    pub(crate) fn fixed(sql: &'static str) -> Self {
        Statement {
            sql: SqlStr::from_static(sql),
            args: PgArguments::default(),
        }
    }

    pub(crate) fn bind<'t, T>(mut self, value: T) -> Result<Self, ServiceError>
    where
        T: Encode<'t, Postgres> + Type<Postgres> + 't,
    {
        self.args.add(value).map_err(encode_error)?;
        Ok(self)
    }

    /// The SQL and values a `QueryBuilder` has gathered.
    pub(crate) fn built(mut qb: QueryBuilder<Postgres>) -> Result<Self, ServiceError> {
        let sql = qb.sql();
        let args = qb
            .build()
            .take_arguments()
            .map_err(encode_error)?
            .unwrap_or_default();
        Ok(Statement { sql, args })
    }

    pub(crate) fn query_as<O>(self) -> sqlx::query::QueryAs<'static, Postgres, O, PgArguments>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        sqlx::query_as_with(self.sql, self.args)
    }
}

/// How PostgreSQL would run one list query.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Plans {
    /// The SQL, with `$n` placeholders.
    pub sql: String,
    /// `EXPLAIN (FORMAT JSON)` with the values bound: the custom plan.
    pub custom: Value,
    /// `EXPLAIN (FORMAT JSON)` of the prepared statement with
    /// `plan_cache_mode = force_generic_plan`: the plan for any values.
    pub generic: Value,
}

/// Explains a statement both ways in one transaction, which is rolled back.
pub(crate) async fn plans(db: &Db, statement: Statement) -> Result<Plans, ServiceError> {
    let Statement { sql, args } = statement;
    let mut tx = db.begin().await?;
    let custom: Value = sqlx::query_scalar_with(
        AssertSqlSafe(format!("explain (format json) {}", sql.as_str())),
        args.clone(),
    )
    .persistent(false)
    .fetch_one(&mut *tx)
    .await?;
    // Running the query leaves it prepared on this connection under a name
    // sqlx chose; EXPLAIN EXECUTE then shows that prepared statement's plan.
    sqlx::query_with(sql.clone(), args)
        .execute(&mut *tx)
        .await?;
    let prepared: Option<(String, i32)> = sqlx::query_as(
        "select quote_ident(name), coalesce(cardinality(parameter_types), 0)
         from pg_prepared_statements where not from_sql and statement = $1",
    )
    .bind(sql.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (name, params) = prepared.ok_or_else(|| {
        ServiceError::Internal("the list query was not kept prepared (statement cache off?)".into())
    })?;
    sqlx::query("set local plan_cache_mode = force_generic_plan")
        .execute(&mut *tx)
        .await?;
    // A generic plan does not depend on the values, so nulls will do.
    let values = if params > 0 {
        format!("({})", vec!["null"; params as usize].join(", "))
    } else {
        String::new()
    };
    let generic: Value = sqlx::query_scalar(AssertSqlSafe(format!(
        "explain (format json) execute {name}{values}"
    )))
    .persistent(false)
    .fetch_one(&mut *tx)
    .await?;
    tx.rollback().await?;
    Ok(Plans {
        sql: sql.as_str().to_owned(),
        custom,
        generic,
    })
}
