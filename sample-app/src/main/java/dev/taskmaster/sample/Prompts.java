package dev.taskmaster.sample;

import java.util.List;

/** What TaskMaster users ask for, sent in turn. */
public final class Prompts {

  /** The system message of every chat completion. */
  public static final String SYSTEM =
      "You are TaskMaster, an assistant that helps people plan and track their tasks. Be brief.";

  /** The user prompts, in the order they are sent. */
  public static final List<String> ALL =
      List.of(
          "Create a task for the budget review",
          "Summarise today's open tasks",
          "What should I work on first this morning?",
          "Break the website redesign into smaller tasks",
          "Draft a reminder for the team about Friday's deadline",
          "Which tasks are overdue and who owns them?",
          "Plan my week around the product launch",
          "Turn these meeting notes into action items: hire a designer, book the venue, update the roadmap",
          "Estimate how long the data migration will take",
          "Move the dentist appointment task to next Tuesday",
          "Write a short status update for the quarterly report",
          "Group my tasks by project and priority",
          "Suggest a checklist for onboarding a new engineer",
          "What did I finish yesterday?",
          "Close all tasks tagged 'done' and archive them");

  private Prompts() {}

  /** The prompt of call number {@code call} (0-based). */
  public static String forCall(long call) {
    return ALL.get((int) (call % ALL.size()));
  }
}
