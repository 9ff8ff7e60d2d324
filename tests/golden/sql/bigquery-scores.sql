-- fairtop scores: the weight in each of 100 equal score bins on [0,1] (bin -1: bad rows);
-- export it with its header as scores.csv (fairtop-formats(5))
SELECT
  fairtop_step AS `step`,
  fairtop_f1 AS `sex`,
  fairtop_f2 AS `ag\`e"`,
  fairtop_bin AS `bin`,
  SUM(CASE WHEN fairtop_ok = 1 THEN fairtop_w ELSE 0 END) AS `weight`,
  SUM(1 - fairtop_ok) AS `bad`
FROM (
  SELECT fairtop_step, fairtop_f1, fairtop_f2, fairtop_w, fairtop_ok,
    CASE WHEN fairtop_ok = 0 THEN -1
      WHEN fairtop_s * 100 >= 100 THEN 99
      ELSE CAST(FLOOR(fairtop_s * 100) AS INT64) END AS fairtop_bin
  FROM (
    SELECT fairtop_step, fairtop_f1, fairtop_f2, fairtop_w, fairtop_s, fairtop_t, fairtop_p,
      CASE WHEN fairtop_t IS NOT NULL AND fairtop_p IS NOT NULL
        AND fairtop_w >= 0 AND fairtop_w - fairtop_w = 0
        AND fairtop_s >= 0 AND fairtop_s <= 1
        THEN 1 ELSE 0 END AS fairtop_ok
    FROM (
      SELECT
        CAST(`step` AS INT64) AS fairtop_step,
        `sex` AS fairtop_f1,
        `ag\`e"` AS fairtop_f2,
        CASE CAST(`y_true` AS STRING) WHEN 'yes' THEN 1 WHEN 'it\'s\\no' THEN 0 END AS fairtop_t,
        CASE CAST(`y_pred` AS STRING) WHEN 'yes' THEN 1 WHEN 'it\'s\\no' THEN 0 END AS fairtop_p,
        CAST(`weight` AS FLOAT64) AS fairtop_w,
        CAST(`score` AS FLOAT64) AS fairtop_s
      FROM `proj`.`ds`.`pre\`d"s`
    ) AS fairtop_cast
  ) AS fairtop_rows
) AS fairtop_binned
GROUP BY fairtop_step, fairtop_f1, fairtop_f2, fairtop_bin;
