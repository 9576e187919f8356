package io.logalert.source.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which server certificates the source and the state store accept, as TLS contexts whose refusals name the host and
 * say why in words ("the certificate of https://10.0.0.7:9200 (CN=node-1, issued by CN=Elasticsearch security
 * auto-configuration HTTP CA) is not signed by the CA in 'ca-certificate'"), instead of the JDK's "PKIX path building
 * failed", which names neither.
 */
final class TlsTrust {

    private TlsTrust() {
    }

    /**
     * A context that trusts the certificates signed by the CA (or CAs) in the PEM file {@code pem}, as Elasticsearch 8
     * writes it to {@code config/certs/http_ca.crt}.
     *
     * @throws IOException              when the file cannot be read
     * @throws GeneralSecurityException when it holds no certificate
     */
    static SSLContext caCertificate(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("the file holds no PEM certificate");
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            anchors.setCertificateEntry("ca-" + i++, certificate);
        }
        String what = "the CA in '" + ConnectionSettings.CA_CERTIFICATE + "' (" + certificates.stream()
                .map(c -> subject((X509Certificate) c)).collect(Collectors.joining(", ")) + ")";
        return context(new Naming(pkix(anchors), "is not signed by " + what
                + ": check that 'hosts' points at the cluster that CA belongs to, or set '"
                + ConnectionSettings.CA_CERTIFICATE + "' to the CA that signed its HTTP certificate"
                + " (Elasticsearch 8: config/certs/http_ca.crt)"));
    }

    /**
     * A context that trusts a server whose certificate chain leads to the certificate with this SHA-256
     * fingerprint, usually its CA's: the chain must be signed up to that certificate, which a server cannot fake by
     * merely sending the CA's (public) certificate along with its own.
     *
     * @param hex 64 hexadecimal digits, no colons
     */
    static SSLContext caFingerprint(String hex) throws GeneralSecurityException {
        return context(new Fingerprint(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT))));
    }

    /** A context that trusts every certificate, for {@code verify-tls=false}. */
    static SSLContext trustEverything() throws GeneralSecurityException {
        return context(new Everything());
    }

    /** "CN=node-1" of a certificate, for messages. */
    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    // ---- the trust managers

    /**
     * A certificate this source does not trust, with a message naming the host and why; the rest of the TLS
     * exception chain adds nothing a user can act on.
     */
    static final class UntrustedCertificateException extends CertificateException {
        UntrustedCertificateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static SSLContext context(TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    private static X509ExtendedTrustManager pkix(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
                .findFirst().orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
    }

    /** "https://10.0.0.7:9200 (CN=node-1, issued by CN=Some CA)": who refused to be trusted. */
    private static String describe(X509Certificate[] chain, Optional<String> peer) {
        String host = peer.orElse("the node");
        if (chain == null || chain.length == 0) {
            return host + " (no certificate)";
        }
        return host + " (" + subject(chain[0]) + ", issued by " + chain[0].getIssuerX500Principal().getName() + ")";
    }

    private static Optional<String> peer(SSLEngine engine) {
        if (engine == null || engine.getPeerHost() == null) {
            return Optional.empty();
        }
        return Optional.of("https://" + engine.getPeerHost() + (engine.getPeerPort() > 0 ? ":" + engine.getPeerPort()
                : ""));
    }

    private static Optional<String> peer(Socket socket) {
        if (socket == null || socket.getInetAddress() == null) {
            return Optional.empty();
        }
        return Optional.of("https://" + socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
    }

    /** Server-side checks only: the source is a client. */
    private abstract static class ClientOnly extends X509ExtendedTrustManager {

        abstract void check(X509Certificate[] chain, String authType, Optional<String> peer)
                throws CertificateException;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, peer(engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, peer(socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, Optional.empty());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The JDK's PKIX checks against the configured CAs, with a refusal that names the host. */
    private static final class Naming extends ClientOnly {
        private final X509ExtendedTrustManager pkix;
        private final String refusal;

        Naming(X509ExtendedTrustManager pkix, String refusal) {
            this.pkix = pkix;
            this.refusal = refusal;
        }

        @Override
        void check(X509Certificate[] chain, String authType, Optional<String> peer) throws CertificateException {
            try {
                pkix.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new UntrustedCertificateException("the certificate of " + describe(chain, peer) + " " + refusal,
                        e);
            }
        }
    }

    /** Trusts a chain that is signed up to the certificate with the configured fingerprint. */
    private static final class Fingerprint extends ClientOnly {
        private final byte[] sha256;

        Fingerprint(byte[] sha256) {
            this.sha256 = sha256;
        }

        @Override
        void check(X509Certificate[] chain, String authType, Optional<String> peer) throws CertificateException {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e);
            }
            for (int i = 0; chain != null && i < chain.length; i++) {
                if (!MessageDigest.isEqual(sha256, digest.digest(chain[i].getEncoded()))) {
                    continue;
                }
                // the certificate with the fingerprint is the anchor; what it signed must really be signed by it
                try {
                    KeyStore anchor = KeyStore.getInstance(KeyStore.getDefaultType());
                    anchor.load(null, null);
                    anchor.setCertificateEntry("ca", chain[i]);
                    pkix(anchor).checkServerTrusted(Arrays.copyOf(chain, i + 1), authType);
                    return;
                } catch (IOException | GeneralSecurityException e) {
                    throw new UntrustedCertificateException("the certificate of " + describe(chain, peer)
                            + " is not validly signed by the certificate with the fingerprint in '"
                            + ConnectionSettings.CA_FINGERPRINT + "' (" + subject(chain[i]) + "): " + e.getMessage(),
                            e);
                }
            }
            throw new UntrustedCertificateException("the certificate of " + describe(chain, peer)
                    + " is not signed by the CA whose fingerprint is in '" + ConnectionSettings.CA_FINGERPRINT
                    + "': no certificate the node presents (" + subjects(chain) + ") has that SHA-256 fingerprint. "
                    + "Check that 'hosts' points at the cluster that CA belongs to, or set '"
                    + ConnectionSettings.CA_FINGERPRINT + "' to the fingerprint of the CA that signed its HTTP "
                    + "certificate (Elasticsearch 8: openssl x509 -fingerprint -sha256 -noout -in "
                    + "config/certs/http_ca.crt); the node must send that CA along with its certificate", null);
        }

        private static String subjects(X509Certificate[] chain) {
            return chain == null ? "none" : Arrays.stream(chain).map(TlsTrust::subject)
                    .collect(Collectors.joining(", "));
        }
    }

    /** For {@code verify-tls=false} only: accepts any certificate, as the user asked. */
    private static final class Everything extends ClientOnly {
        @Override
        void check(X509Certificate[] chain, String authType, Optional<String> peer) {
        }
    }
}
