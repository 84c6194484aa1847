//! The registers' derivation written as SQL on PostgreSQL, for the
//! benchmark that compares it with the Rust derivation
//! (`ytcs_core::register::derive`). A set of `INSERT … SELECT … GROUP BY`
//! statements into a temporary table, one transaction.
//!
//! **Only the straightforward cases**: persons who never moved, counted
//! under their recorded commune, for periods whose last day falls within
//! that commune's validity (no lineage: after the reform the Rust
//! derivation follows merged communes to their successor, this does not).
//! Elements: `live_births.{m,f}`, `newborns_screened`, `pregnancies_ended`,
//! `pregnancies_screened` (months), `insured_persons`, `ehr_persons`,
//! `elderly_60plus`, `elderly_checked`, `hypertension_known` (years,
//! counted on 31 December or the window's last day). Zeros are not
//! written.

use ytcs_core::Date;

use crate::StoreError;

/// One value derived by SQL: commune id, period (`2024-06` or `2024`),
/// element, disaggregation key, count.
pub type SqlValue = (i64, String, String, String, i64);

const MONTHLY_SQL: &str = "
INSERT INTO reg_derived (unit_id, period, element, disagg, value)
SELECT p.commune_id, to_char(d.day, 'YYYY-MM'), d.element, d.disagg, count(*)
FROM (
    SELECT e.person_id, e.on_date AS day, 'live_births' AS element,
           CASE WHEN pp.sex = 'male' THEN 'm' ELSE 'f' END AS disagg
    FROM person_event e JOIN person pp ON pp.id = e.person_id WHERE e.kind = 'birth'
    UNION ALL
    SELECT e.person_id, e.on_date, 'newborns_screened', '' FROM person_event e
    WHERE e.kind = 'birth' AND e.flag
    UNION ALL
    SELECT e.person_id, e.end_date, 'pregnancies_ended', '' FROM person_event e
    WHERE e.kind = 'pregnancy' AND e.end_date IS NOT NULL AND e.outcome IS NOT NULL
    UNION ALL
    SELECT e.person_id, e.end_date, 'pregnancies_screened', '' FROM person_event e
    WHERE e.kind = 'pregnancy' AND e.end_date IS NOT NULL AND e.outcome IS NOT NULL AND e.flag
) d
JOIN person p ON p.id = d.person_id
JOIN org_unit u ON u.id = p.commune_id
WHERE d.day >= $1 AND d.day <= $2
  AND (d.element IN ('live_births', 'newborns_screened') OR d.day >= p.registered_on)
  AND NOT EXISTS (SELECT 1 FROM person_move m WHERE m.person_id = p.id)
  AND (u.valid_from IS NULL OR u.valid_from <= (date_trunc('month', d.day) + interval '1 month - 1 day')::date)
  AND (u.valid_to IS NULL OR u.valid_to >= (date_trunc('month', d.day) + interval '1 month - 1 day')::date)
GROUP BY 1, 2, 3, 4";

const YEARLY_SQL: &str = "
INSERT INTO reg_derived (unit_id, period, element, disagg, value)
SELECT s.commune_id, $2, s.element, '', count(*)
FROM (
    SELECT p.commune_id, x.element
    FROM person p
    JOIN org_unit u ON u.id = p.commune_id
    CROSS JOIN LATERAL (
        SELECT 'insured_persons' AS element
        WHERE EXISTS (SELECT 1 FROM insurance_card c WHERE c.person_id = p.id
                      AND c.valid_from <= $1 AND c.valid_to >= $1)
        UNION ALL
        SELECT 'ehr_persons' WHERE p.ehr_opened_on <= $1
        UNION ALL
        SELECT 'elderly_60plus' WHERE p.birth_date + interval '60 years' <= $1
        UNION ALL
        SELECT 'elderly_checked' WHERE p.birth_date + interval '60 years' <= $1
            AND EXISTS (SELECT 1 FROM person_event e WHERE e.person_id = p.id
                        AND e.kind = 'elderly_check'
                        AND e.on_date >= date_trunc('year', $1::date) AND e.on_date <= $1)
        UNION ALL
        SELECT 'hypertension_known'
        WHERE EXISTS (SELECT 1 FROM person_event e WHERE e.person_id = p.id
                      AND e.kind = 'ncd_enrolment' AND e.code = 'hypertension' AND e.on_date <= $1)
    ) x
    WHERE p.registered_on <= $1 AND p.birth_date <= $1
      AND (p.death_date IS NULL OR p.death_date > $1)
      AND NOT EXISTS (SELECT 1 FROM person_move m WHERE m.person_id = p.id)
      AND (u.valid_from IS NULL OR u.valid_from <= $1)
      AND (u.valid_to IS NULL OR u.valid_to >= $1)
) s
GROUP BY 1, 3";

impl crate::PgStore {
    /// Derives the straightforward elements (see the module) for the
    /// months from `from` through `through` and the years counted on
    /// `years` (year, day), as SQL on the server.
    pub async fn derive_registers_sql(
        &self,
        from: Date,
        through: Date,
        years: &[(i32, Date)],
    ) -> Result<Vec<SqlValue>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "CREATE TEMPORARY TABLE reg_derived (unit_id BIGINT NOT NULL, period TEXT NOT NULL, \
             element TEXT NOT NULL, disagg TEXT NOT NULL, value BIGINT NOT NULL) ON COMMIT DROP",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(MONTHLY_SQL)
            .bind(from)
            .bind(through)
            .execute(&mut *tx)
            .await?;
        for (y, day) in years {
            sqlx::query(YEARLY_SQL)
                .bind(*day)
                .bind(y.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let rows: Vec<SqlValue> = sqlx::query_as(
            "SELECT unit_id, period, element, disagg, value FROM reg_derived ORDER BY 1, 2, 3, 4",
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows)
    }
}
