-- fairtop counts: one row per step and cell of the sensitive columns;
-- export it with its header as counts.csv (fairtop-formats(5))
SELECT
  fairtop_step AS "step",
  fairtop_f1 AS "sex",
  fairtop_f2 AS "ag`e""",
  SUM(fairtop_ok) AS "rows",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 1 THEN 1 ELSE 0 END) AS "rows_positive",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 1 AND fairtop_p = 1 THEN fairtop_w ELSE 0 END) AS "tp",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 0 AND fairtop_p = 1 THEN fairtop_w ELSE 0 END) AS "fp",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 0 AND fairtop_p = 0 THEN fairtop_w ELSE 0 END) AS "tn",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 1 AND fairtop_p = 0 THEN fairtop_w ELSE 0 END) AS "fn",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 1 THEN fairtop_w * fairtop_w ELSE 0 END) AS "w2_positive",
  SUM(CASE WHEN fairtop_ok = 1 AND fairtop_t = 0 THEN fairtop_w * fairtop_w ELSE 0 END) AS "w2_negative",
  SUM(1 - fairtop_ok) AS "bad"
FROM (
  SELECT fairtop_step, fairtop_f1, fairtop_f2, fairtop_w, fairtop_t, fairtop_p,
    CASE WHEN fairtop_t IS NOT NULL AND fairtop_p IS NOT NULL
      AND fairtop_w >= 0 AND fairtop_w - fairtop_w = 0
      THEN 1 ELSE 0 END AS fairtop_ok
  FROM (
    SELECT
      CAST("step" AS BIGINT) AS fairtop_step,
      "sex" AS fairtop_f1,
      "ag`e""" AS fairtop_f2,
      CASE CAST("y_true" AS VARCHAR) WHEN 'yes' THEN 1 WHEN 'it''s\no' THEN 0 END AS fairtop_t,
      CASE CAST("y_pred" AS VARCHAR) WHEN 'yes' THEN 1 WHEN 'it''s\no' THEN 0 END AS fairtop_p,
      CAST("weight" AS DOUBLE) AS fairtop_w
    FROM "proj"."ds"."pre`d""s"
  ) AS fairtop_cast
) AS fairtop_rows
GROUP BY fairtop_step, fairtop_f1, fairtop_f2;
