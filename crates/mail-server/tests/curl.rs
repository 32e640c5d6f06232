//! curl's POP3 client (`pop3://`, `pop3s://`, and `pop3://` with
//! `--ssl-reqd` for STLS) listing and retrieving from the server.

mod common;

use std::net::SocketAddr;

use common::*;

fn url(scheme: &str, addr: SocketAddr, path: &str) -> String {
    format!("{scheme}://127.0.0.1:{}/{path}", addr.port())
}

fn credentials((user, password): (&str, &str)) -> String {
    format!("{user}:{password}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_lists_and_retrieves_over_pop3_and_pop3s() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let first = dotted_message("curl");
    let second = big_message(200_000);
    server.deliver("alice", &first).await;
    server.deliver("alice", &second).await;
    let user = credentials(ALICE);
    let pop3s = server.pop3s.unwrap();
    let cert = server.cert.to_str().unwrap().to_owned();

    // The URL without a message number is LIST.
    let list = run(
        "curl",
        &["-sS", "--user", &user, &url("pop3", server.pop3, "")],
    )
    .await;
    assert_eq!(
        String::from_utf8(list.stdout).unwrap(),
        format!("1 {}\r\n2 {}\r\n", first.len(), second.len())
    );

    // A custom command: UIDL.
    let uidl = run(
        "curl",
        &[
            "-sS",
            "--user",
            &user,
            "-X",
            "UIDL",
            &url("pop3", server.pop3, ""),
        ],
    )
    .await;
    let expected: String = expected_uidls(&server.inbox("alice").await)
        .iter()
        .map(|l| format!("{l}\r\n"))
        .collect();
    assert_eq!(String::from_utf8(uidl.stdout).unwrap(), expected);

    // RETR, unstuffed by curl back to the stored octets.
    for (number, message) in [(1, &first), (2, &second)] {
        let path = number.to_string();
        let plain = run(
            "curl",
            &["-sS", "--user", &user, &url("pop3", server.pop3, &path)],
        )
        .await;
        assert!(plain.stdout == *message, "pop3:// RETR {number} differs");

        let implicit = run(
            "curl",
            &[
                "-sS",
                "--insecure",
                "--user",
                &user,
                &url("pop3s", pop3s, &path),
            ],
        )
        .await;
        assert!(
            implicit.stdout == *message,
            "pop3s:// RETR {number} differs"
        );

        let stls = run(
            "curl",
            &[
                "-sS",
                "--ssl-reqd",
                "--cacert",
                &cert,
                "--user",
                &user,
                &url("pop3", server.pop3, &path),
            ],
        )
        .await;
        assert!(
            stls.stdout == *message,
            "pop3:// STLS RETR {number} differs"
        );
    }

    // curl's pop3s:// checks the certificate too, against the kept one.
    let verified = run(
        "curl",
        &[
            "-sS",
            "--cacert",
            &cert,
            "--user",
            &user,
            &url("pop3s", pop3s, ""),
        ],
    )
    .await;
    assert_eq!(
        String::from_utf8(verified.stdout).unwrap(),
        format!("1 {}\r\n2 {}\r\n", first.len(), second.len())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_a_wrong_password_is_denied() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let out = run_unchecked(
        "curl",
        &[
            "-sS",
            "--user",
            "alice:not-the-password",
            &url("pop3", server.pop3, ""),
        ],
    )
    .await;
    // CURLE_LOGIN_DENIED.
    assert_eq!(out.status.code(), Some(67), "{out:?}");
    assert!(out.stdout.is_empty());
}
