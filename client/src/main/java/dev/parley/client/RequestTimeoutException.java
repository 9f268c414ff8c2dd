package dev.parley.client;

/**
 * No answer within the request's timeout: either no READY connection came up in time (the request
 * was never sent), or the response did not arrive (the server may or may not have executed it).
 */
public class RequestTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(String message) {
    super(message);
  }

  public RequestTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
