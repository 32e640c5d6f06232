//! A queue throughput figure.

use super::*;

/// A load figure, not run by default (`cargo test --release -p mail-server
/// --test outbound -- --ignored --nocapture`): 10 clients submit 5 KB
/// messages for another domain, with fsync on; the queue sends them to a
/// scripted peer. Every message arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load measurement; run it with --release"]
async fn queue_throughput() {
    const CLIENTS: usize = 10;
    const EACH: usize = 50;
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.fsync = true;
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let body = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n".repeat(80);
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (addr, body) = (a.smtp, body.clone());
            tokio::spawn(async move {
                let mut raw = alice_session(addr).await;
                for n in 0..EACH {
                    let message = format!("Message-ID: <{c}.{n}@a.test>\r\n\r\n{body}.");
                    send_one(&mut raw, "carol@c.test", &message).await;
                }
            })
        })
        .collect();
    for c in clients {
        c.await.unwrap();
    }
    let accepted = started.elapsed();
    wait_for_empty_queue(&a.queue).await;
    let drained = started.elapsed();
    let seen = peer.transactions();
    let total = CLIENTS * EACH;
    assert_eq!(seen.len(), total);
    let mut ids: Vec<&[u8]> = seen.iter().map(|t| &t.data[..]).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "a message sent twice");
    println!(
        "{total} messages of 5 KB, {CLIENTS} clients: queued durably in {:.2} s ({:.0}/s), \
         all delivered in {:.2} s ({:.0}/s)",
        accepted.as_secs_f64(),
        total as f64 / accepted.as_secs_f64(),
        drained.as_secs_f64(),
        total as f64 / drained.as_secs_f64()
    );
    a.server.shutdown().await;
}
