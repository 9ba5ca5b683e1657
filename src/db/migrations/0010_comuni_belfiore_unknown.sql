-- The official ISTAT list names a comune just created by a merger before the Agenzia delle Entrate
-- has assigned its cadastral (Belfiore) code, marking the code N.D.: the comune is kept with the
-- code unknown (null), and a later list fills it in. A code, when present, keeps its format check.
alter table comuni alter column belfiore drop not null;
