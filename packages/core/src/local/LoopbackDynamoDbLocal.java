import java.lang.reflect.Field;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local with its own command-line options, but listening on 127.0.0.1 only.
 * DynamoDB Local (3.3.0) has no host option: it builds a Jetty `Server(port)`, which binds every interface.
 * Before starting it, this sets the host of that server's connectors to loopback. Run as a single-file
 * source program (`java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java <DynamoDB Local options>`).
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((AbstractNetworkConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
