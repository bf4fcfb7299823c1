-- history rows written by ga desk itself (the auto-close job) have no actor.
alter table ticket_history alter column actor_id drop not null;
