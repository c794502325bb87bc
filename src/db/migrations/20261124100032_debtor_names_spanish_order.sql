-- Debtor names sort in Spanish alphabetical order (Álvaro with Alvaro, Óscar before Zeta, Ñandú after Nube) wherever
-- they are ordered, through the column's collation, so every ORDER BY name (the accounts list, exports) and the
-- keyset cursor comparing against a name agree on one order. The databases here are C-collated and ICU is the only
-- provider both back ends have: PostgreSQL 15 ships the full ICU data ('es'); PGlite (PostgreSQL 18) has only the
-- root locale, where ñ sorts as an n, so on 16+ the tailoring rule puts ñ after n (a no-op where 'es' already does).
-- A server built without ICU keeps byte order, as before.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    EXECUTE $c$CREATE COLLATION IF NOT EXISTS cobranza_es (provider = icu, locale = 'es', rules = '&N < ñ <<< Ñ')$c$;
  ELSE
    EXECUTE $c$CREATE COLLATION IF NOT EXISTS cobranza_es (provider = icu, locale = 'es')$c$;
  END IF;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
  CREATE COLLATION IF NOT EXISTS cobranza_es FROM "C";
END
$$;
--> statement-breakpoint
-- Only the collation changes: no table rewrite; the name search index is rebuilt.
ALTER TABLE "debtors" ALTER COLUMN "name" TYPE text COLLATE cobranza_es;
