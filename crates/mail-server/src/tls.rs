//! TLS: where the certificate comes from, and the rustls acceptor made of it.
//!
//! RFC 8314 §3 asks mail servers for TLS on every port that carries a
//! password: implicit TLS on the dedicated ports (POP3S 995, SMTPS 465,
//! IMAPS 993) and STARTTLS/STLS on the plain ones. A server with no
//! certificate of its own still gets both: [`TlsSource::SelfSigned`] makes a
//! certificate once with rcgen and keeps it, so clients that pinned it on
//! first use keep trusting it after a restart.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::Error;

/// Where a server's TLS certificate and key come from.
#[derive(Clone)]
#[non_exhaustive]
pub enum TlsSource {
    /// A certificate chain and its private key in PEM files, as a CA or
    /// Let's Encrypt issues them (`fullchain.pem`, `privkey.pem`).
    PemFiles {
        /// The certificate chain, leaf first.
        cert: PathBuf,
        /// The private key (PKCS #8, PKCS #1 or SEC1).
        key: PathBuf,
    },
    /// A self-signed certificate kept in `dir` (`cert.pem` and `key.pem`):
    /// made once with rcgen for `names` (host names and IP addresses, the
    /// first also its common name), and read back on every later start.
    SelfSigned {
        /// The directory that holds the pair; created if missing.
        dir: PathBuf,
        /// The subject alternative names of a new certificate.
        names: Vec<String>,
    },
    /// A rustls configuration made by the application.
    Config(Arc<ServerConfig>),
}

impl TlsSource {
    /// A self-signed certificate kept in `dir`, valid for `hostname`,
    /// `localhost`, `127.0.0.1` and `::1`.
    pub fn self_signed(dir: impl Into<PathBuf>, hostname: &str) -> Self {
        let mut names = vec![hostname.to_owned()];
        for name in ["localhost", "127.0.0.1", "::1"] {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_owned());
            }
        }
        Self::SelfSigned {
            dir: dir.into(),
            names,
        }
    }

    /// Certificate and key from PEM files.
    pub fn pem_files(cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        Self::PemFiles {
            cert: cert.into(),
            key: key.into(),
        }
    }

    /// The rustls server configuration: reads the files, or makes the
    /// self-signed pair on first use.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, Error> {
        match self {
            Self::Config(config) => Ok(config.clone()),
            Self::PemFiles { cert, key } => config_from_files(cert, key),
            Self::SelfSigned { dir, names } => {
                let pair = SelfSigned::load_or_create(dir, names)?;
                config_from_files(&pair.cert, &pair.key)
            }
        }
    }

    pub(crate) fn acceptor(&self) -> Result<TlsAcceptor, Error> {
        Ok(TlsAcceptor::from(self.server_config()?))
    }
}

impl fmt::Debug for TlsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PemFiles { cert, key } => f
                .debug_struct("PemFiles")
                .field("cert", cert)
                .field("key", key)
                .finish(),
            Self::SelfSigned { dir, names } => f
                .debug_struct("SelfSigned")
                .field("dir", dir)
                .field("names", names)
                .finish(),
            Self::Config(_) => f.write_str("Config(..)"),
        }
    }
}

/// The files of a self-signed certificate kept in a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfSigned {
    /// The certificate, PEM: give it to clients that should trust it.
    pub cert: PathBuf,
    /// The private key, PEM, readable by its owner only.
    pub key: PathBuf,
    /// Whether this call made the pair (`false`: it was there already).
    pub created: bool,
}

impl SelfSigned {
    /// The pair in `dir`, made for `names` if it does not exist yet.
    ///
    /// A new pair is written to temporary files and renamed into place, key
    /// first, so a crash leaves either no certificate or a whole one.
    pub fn load_or_create(dir: &Path, names: &[String]) -> Result<Self, Error> {
        let cert = dir.join("cert.pem");
        let key = dir.join("key.pem");
        if cert.is_file() && key.is_file() {
            return Ok(Self {
                cert,
                key,
                created: false,
            });
        }
        let tls_error = |e: rcgen::Error| Error::Tls(format!("cannot make a certificate: {e}"));
        let mut params = rcgen::CertificateParams::new(names.to_vec()).map_err(tls_error)?;
        let mut subject = rcgen::DistinguishedName::new();
        subject.push(
            rcgen::DnType::CommonName,
            names.first().map_or("localhost", String::as_str),
        );
        subject.push(rcgen::DnType::OrganizationName, "mail-server self-signed");
        params.distinguished_name = subject;
        let signing_key = rcgen::KeyPair::generate().map_err(tls_error)?;
        let certificate = params.self_signed(&signing_key).map_err(tls_error)?;

        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        write_atomically(&key, signing_key.serialize_pem().as_bytes(), true)?;
        write_atomically(&cert, certificate.pem().as_bytes(), false)?;
        Ok(Self {
            cert,
            key,
            created: true,
        })
    }
}

fn config_from_files(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, Error> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect())
        .map_err(|e| Error::Tls(format!("{}: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(Error::Tls(format!(
            "{}: no certificate in the file",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| Error::Tls(format!("{}: {e}", key.display())))?;
    // The workspace builds rustls on ring (no C toolchain for aws-lc); ring
    // lacks the post-quantum key exchange, hence the deprecation.
    #[allow(
        deprecated,
        reason = "ring is the workspace's rustls provider; it has no post-quantum groups"
    )]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|e| Error::Tls(e.to_string()))?;
    Ok(Arc::new(config))
}

/// Writes `data` to `path` through a temporary file and a rename.
fn write_atomically(path: &Path, data: &[u8], private: bool) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    let write = || -> io::Result<()> {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut file = options.open(&tmp)?;
        file.write_all(data)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_pair_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let source = TlsSource::self_signed(&tls, "mail.example.org");
        let TlsSource::SelfSigned { names, .. } = &source else {
            unreachable!()
        };
        assert_eq!(
            names,
            &["mail.example.org", "localhost", "127.0.0.1", "::1"]
        );

        let first = SelfSigned::load_or_create(&tls, names).unwrap();
        assert!(first.created);
        let cert = fs::read(&first.cert).unwrap();
        let key = fs::read(&first.key).unwrap();
        assert!(cert.starts_with(b"-----BEGIN CERTIFICATE-----"));
        assert!(key.starts_with(b"-----BEGIN PRIVATE KEY-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&first.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let again = SelfSigned::load_or_create(&tls, names).unwrap();
        assert!(!again.created);
        assert_eq!(fs::read(&again.cert).unwrap(), cert);
        assert_eq!(fs::read(&again.key).unwrap(), key);
        source.server_config().unwrap();
    }

    #[test]
    fn missing_or_empty_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        assert!(matches!(
            TlsSource::pem_files(&cert, &key).server_config(),
            Err(Error::Tls(_))
        ));
        fs::write(&cert, "not a certificate\n").unwrap();
        fs::write(&key, "").unwrap();
        let Err(Error::Tls(text)) = TlsSource::pem_files(&cert, &key).server_config() else {
            panic!("an empty chain must fail");
        };
        assert!(text.contains("no certificate"), "{text}");
    }
}
