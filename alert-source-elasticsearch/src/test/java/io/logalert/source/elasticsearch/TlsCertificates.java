package io.logalert.source.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA and an HTTP certificate it signed for {@code 127.0.0.1} and {@code localhost}, made by the JDK's
 * {@code keytool} for a node with TLS ({@link ElasticsearchNode#startTls}), as the PEM files Elasticsearch reads:
 * the CA's certificate, the node's certificate followed by the CA's (Elasticsearch 8's own set-up sends its CA along,
 * which a CA fingerprint needs), and the node's unencrypted PKCS#8 key. No JUnit needed.
 *
 * @param caCertificate    the CA's certificate (PEM), what {@code ca-certificate} names
 * @param certificateChain the node's certificate and the CA's (PEM), {@code xpack.security.http.ssl.certificate}
 * @param privateKey       the node's key (PEM, PKCS#8), {@code xpack.security.http.ssl.key}
 * @param caFingerprint    the SHA-256 fingerprint of the CA's certificate, 64 lower-case hex digits
 */
public record TlsCertificates(Path caCertificate, Path certificateChain, Path privateKey, String caFingerprint) {

    /** Only protects the keystore keytool works in, which stays in the test's directory. */
    private static final String STORE_PASSWORD = "logalert-test";

    /**
     * Makes a CA and a certificate it signed for {@code 127.0.0.1} and {@code localhost} in {@code dir}, valid for 30
     * days, with EC P-256 keys: two {@code keytool} runs.
     */
    public static TlsCertificates create(Path dir) {
        Path store = dir.resolve("tls.p12");
        keytool(dir, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                STORE_PASSWORD, "-alias", "ca", "-dname", "CN=logalert test CA", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "30", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign");
        keytool(dir, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                STORE_PASSWORD, "-alias", "http", "-dname", "CN=127.0.0.1", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "30", "-signer", "ca", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-ext", "eku=serverAuth");
        try {
            KeyStore keys = load(store);
            X509Certificate ca = (X509Certificate) keys.getCertificate("ca");
            Certificate[] chain = keys.getCertificateChain("http");
            Key key = keys.getKey("http", STORE_PASSWORD.toCharArray());
            Path caPem = Files.writeString(dir.resolve("ca.crt"), pem("CERTIFICATE", ca.getEncoded()));
            StringBuilder chainPem = new StringBuilder();
            for (Certificate certificate : chain) {
                chainPem.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Path chainFile = Files.writeString(dir.resolve("http.crt"), chainPem);
            Path keyFile = Files.writeString(dir.resolve("http.key"), pem("PRIVATE KEY", key.getEncoded()));
            return new TlsCertificates(caPem, chainFile, keyFile, fingerprint(ca));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read what keytool made in " + store, e);
        }
    }

    /**
     * The certificate (PEM) of another CA, made in {@code dir}, that signed nothing of the node's: what a
     * {@code ca-certificate} of the wrong cluster looks like. One {@code keytool} run.
     */
    public static Path otherCa(Path dir) {
        Path store = dir.resolve("other-ca.p12");
        keytool(dir, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                STORE_PASSWORD, "-alias", "other", "-dname", "CN=logalert other CA", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "30", "-ext", "bc:c");
        try {
            Certificate other = load(store).getCertificate("other");
            return Files.writeString(dir.resolve("other-ca.crt"), pem("CERTIFICATE", other.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read what keytool made in " + store, e);
        }
    }

    /** A TLS context that trusts this CA, for a test's own HTTP client. */
    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caCertificate, e);
        }
    }

    /** The fingerprint with colons, {@code AB:CD:...}, as Elasticsearch prints it at its first start. */
    public String caFingerprintWithColons() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < caFingerprint.length(); i += 2) {
            pairs.add(caFingerprint.substring(i, i + 2).toUpperCase(Locale.ROOT));
        }
        return String.join(":", pairs);
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        return keys;
    }

    private static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
