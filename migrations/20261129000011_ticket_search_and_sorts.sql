-- full-text search over number, title, description and item names. the
-- 'simple' configuration does no stemming, so indonesian and english words
-- are both found as written.
alter table tickets add column search tsvector generated always as (
    to_tsvector('simple',
        number || ' ' || replace(number, '-', ' ') || ' ' || title || ' ' || description || ' ' || items_text)
) stored;
create index tickets_search_idx on tickets using gin (search);

-- priority as a number, so "high first" sorts correctly
alter table tickets add column priority_rank smallint generated always as (
    case priority when 'low' then 1 when 'medium' then 2 else 3 end
) stored;

-- one index per sort key of the list api (keyset pagination on key + id)
create index tickets_created_idx on tickets (created_at desc, id desc);
create index tickets_updated_idx on tickets (updated_at desc, id desc);
create index tickets_priority_idx on tickets (priority_rank desc, id desc);
create index tickets_total_idx on tickets (estimated_total desc, id desc);
create index tickets_category_created_idx on tickets (category, created_at desc, id desc);
