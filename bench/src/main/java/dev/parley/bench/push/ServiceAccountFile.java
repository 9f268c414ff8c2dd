package dev.parley.bench.push;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Writes a service-account key file shaped like the Firebase console's, with a fresh RSA key and a
 * {@code token_uri} on the fake: the server's {@code push.providers.fcm.credentials-file}.
 */
public final class ServiceAccountFile {
  public static final String PROJECT = "parley-bench";

  private ServiceAccountFile() {}

  public static void write(Path file, int fakePort) throws IOException, GeneralSecurityException {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    JsonObject json = new JsonObject();
    json.addProperty("type", "service_account");
    json.addProperty("project_id", PROJECT);
    json.addProperty("private_key_id", "bench");
    json.addProperty("private_key", pem);
    json.addProperty("client_email", "bench@" + PROJECT + ".iam.gserviceaccount.com");
    json.addProperty("client_id", "1");
    json.addProperty("token_uri", "http://127.0.0.1:" + fakePort + "/token");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json));
  }
}
