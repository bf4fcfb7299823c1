//! Live ticket events for the GA desk: one PostgreSQL listener per process
//! feeds the process's broadcast channel, and each open board holds a
//! server-sent event stream on it.

use crate::rest::error::RestError;
use crate::rest::extract::Caller;
use app::domain::desk::TicketEvent;
use app::domain::Permission;
use app::services::queues::TICKET_EVENTS_CHANNEL;
use app::services::ServiceError;
use app::state::{AppState, TicketEvents};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures::Stream;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinHandle;

/// A stream ends after this long and the browser opens a new one, which
/// passes authentication again: a session ended meanwhile stops hearing
/// events within minutes, and an expired access token is refreshed.
const STREAM_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How long a browser waits before reconnecting after a stream ends.
const RETRY: Duration = Duration::from_secs(2);

/// Listens on the ticket channel and publishes what it hears. Returns once
/// the listener is subscribed, so nothing committed after this returns is
/// missed. Listening holds a connection for the life of the process, so it
/// gets one of its own, with the database's settings but outside the
/// request pool (a pool of two must still serve two requests).
pub async fn start_listener(db: PgPool, hub: TicketEvents) -> Result<JoinHandle<()>, sqlx::Error> {
    let own = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with((*db.connect_options()).clone())
        .await?;
    let mut listener = PgListener::connect_with(&own).await?;
    listener.listen(TICKET_EVENTS_CHANNEL).await?;
    Ok(tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    match serde_json::from_str::<TicketEvent>(notification.payload()) {
                        Ok(event) => hub.publish(event),
                        Err(e) => tracing::warn!(error = %e, "ignoring a malformed ticket event"),
                    }
                }
                // The connection dropped and was made again: whatever was
                // announced in between is lost, so every board reloads.
                Ok(None) => {
                    tracing::warn!("ticket event listener reconnected");
                    hub.publish(TicketEvent::Resync);
                }
                Err(sqlx::Error::PoolClosed) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "ticket event listener failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    hub.publish(TicketEvent::Resync);
                }
            }
        }
    }))
}

fn event(e: &TicketEvent) -> Event {
    Event::default()
        .json_data(e)
        .unwrap_or_else(|_| Event::default().data("{\"kind\":\"resync\"}"))
}

/// `GET /events/tickets`: server-sent events, one per ticket change, for GA
/// staff. Anyone else gets 401 or 403 before a stream is opened.
pub async fn ticket_events(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> Result<impl IntoResponse, RestError> {
    if !session.actor.can(Permission::TicketsFulfil) {
        return Err(ServiceError::Refused(app::domain::Refusal::EventsStaffOnly).into());
    }
    let hub = state.ticket_events.clone();
    let slot = hub
        .open_stream(session.actor.id)
        .ok_or(ServiceError::Refused(app::domain::Refusal::TooManyStreams))?;
    let receiver = hub.subscribe();
    let stream = events(hub, receiver, slot);
    Ok((
        // Proxies such as nginx would otherwise hold events back in a buffer.
        [("x-accel-buffering", "no"), ("cache-control", "no-store")],
        Sse::new(stream).keep_alive(KeepAlive::default()),
    ))
}

enum Phase {
    Hello,
    Open,
}

/// The stream holds its slot among the open streams until it ends or the
/// browser goes away (the stream is dropped).
fn events(
    hub: TicketEvents,
    receiver: tokio::sync::broadcast::Receiver<TicketEvent>,
    slot: app::state::StreamSlot,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let ends = tokio::time::Instant::now() + STREAM_LIFETIME;
    futures::stream::unfold(
        (Phase::Hello, hub, receiver, slot),
        move |(phase, hub, mut receiver, slot)| async move {
            if let Phase::Hello = phase {
                // Tells the browser how soon to come back after the stream ends.
                let hello = Event::default().retry(RETRY).comment("ticket events");
                return Some((Ok(hello), (Phase::Open, hub, receiver, slot)));
            }
            let next = tokio::select! {
                received = receiver.recv() => received,
                _ = hub.closed() => return None,
                _ = tokio::time::sleep_until(ends) => return None,
            };
            let item = match next {
                Ok(e) => event(&e),
                Err(RecvError::Lagged(_)) => event(&TicketEvent::Resync),
                Err(RecvError::Closed) => return None,
            };
            Some((Ok(item), (Phase::Open, hub, receiver, slot)))
        },
    )
}
