-- Likely duplicates of a new case are looked for among the recent cases of
-- its category (then by a box round it): without this index that meant
-- reading every case of the county, newest first.
CREATE INDEX cases_category_created ON cases (category, created_at);
