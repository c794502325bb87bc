-- Imports and the API store free text composed (NFC) from now on (src/modules/portfolio/records.ts): "José" as one é,
-- never "Jose" + a combining accent as some Mac exports write it. Rows stored before may hold decomposed text, which
-- displays alike but is searched and compared apart; this composes it once. normalize() and IS NFC NORMALIZED work
-- alike on PostgreSQL 15 and on PGlite (PostgreSQL 18), in a UTF8 database only: a database in another encoding
-- cannot hold combining accents, so nothing is done there. Only rows holding decomposed text are written.
-- Identifiers (external ids) are keys of the source system, kept byte for byte, and are left as they are; so is a
-- portfolio name whose composed form another portfolio of the company already has (merging two portfolios is a
-- decision for a person, not for a migration).
DO $$
BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RETURN;
  END IF;

  UPDATE debtors SET
    name = normalize(name, NFC),
    email = normalize(email, NFC),
    region = normalize(region, NFC),
    city = normalize(city, NFC),
    postal_code = normalize(postal_code, NFC),
    -- Composing can make two tags equal: each is kept once, where it first appeared, as an import keeps them.
    tags = coalesce((SELECT array_agg(t.tag ORDER BY t.first)
                       FROM (SELECT normalize(u.tag, NFC) AS tag, min(u.n) AS first FROM unnest(tags) WITH ORDINALITY AS u(tag, n) GROUP BY 1) t), '{}'::text[]),
    attributes = coalesce((SELECT jsonb_object_agg(a.key, CASE WHEN jsonb_typeof(a.value) = 'string' THEN to_jsonb(normalize(a.value #>> '{}', NFC)) ELSE a.value END)
                             FROM jsonb_each(attributes) AS a), '{}'::jsonb)
  WHERE name IS NOT NFC NORMALIZED
     OR email IS NOT NFC NORMALIZED
     OR region IS NOT NFC NORMALIZED
     OR city IS NOT NFC NORMALIZED
     OR postal_code IS NOT NFC NORMALIZED
     OR array_to_string(tags, ' ') IS NOT NFC NORMALIZED
     OR attributes::text IS NOT NFC NORMALIZED;

  UPDATE obligations SET product = normalize(product, NFC) WHERE product IS NOT NFC NORMALIZED;

  UPDATE payments SET method = normalize(method, NFC), reference = normalize(reference, NFC)
   WHERE method IS NOT NFC NORMALIZED OR reference IS NOT NFC NORMALIZED;

  UPDATE portfolios p SET name = normalize(p.name, NFC)
   WHERE p.name IS NOT NFC NORMALIZED
     AND NOT EXISTS (SELECT 1 FROM portfolios q WHERE q.company_id = p.company_id AND q.name = normalize(p.name, NFC))
     -- Two names written differently that compose alike: the first one only.
     AND p.id = (SELECT min(r.id) FROM portfolios r WHERE r.company_id = p.company_id AND normalize(r.name, NFC) = normalize(p.name, NFC));
END
$$;
