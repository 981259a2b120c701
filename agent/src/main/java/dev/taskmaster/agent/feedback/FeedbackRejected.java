package dev.taskmaster.agent.feedback;

/**
 * Why a feedback was not accepted: an HTTP status, a short reason (the {@code reason} label of
 * {@code taskmaster_feedback_rejected_total} and the {@code error} of the answer), and a sentence
 * for the sender. Nothing was recorded.
 */
public final class FeedbackRejected extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  public FeedbackRejected(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status of the answer, 4xx or 503. */
  public int status() {
    return status;
  }

  /** A short snake_case reason, such as {@code unknown_request_id}. */
  public String reason() {
    return reason;
  }
}
