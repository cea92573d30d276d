package dev.reactivews.client;

/**
 * Run in a JVM of its own by {@link ReactiveWsClientTest}: connects, says so on stdout, and ends main
 * without closing the client ({@code args[1]} is the autoClose option).
 */
public final class AutoCloseMain {
  private AutoCloseMain() {}

  public static void main(String[] args) {
    ReactiveWsClient client = ReactiveWsClient.builder(args[0]).autoClose(Boolean.parseBoolean(args[1])).build();
    while (client.status() != Status.OPEN) {
      Thread.onSpinWait();
    }
    System.out.println("open");
  }
}
