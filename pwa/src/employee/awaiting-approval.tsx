/**
 * Said to a person whose account a shared enrollment code made: an admin has yet to
 * confirm the email is theirs. Nothing is blocked meanwhile; the note says so, so it
 * reads as a step in progress rather than a fault.
 */
export function AwaitingApproval({ email }: { email: string }) {
  return (
    <p class="note" role="status" data-testid="awaiting-approval">
      <strong>Your account is awaiting approval.</strong> You joined with a shared enrollment code,
      so an admin still has to confirm that {email} is your address. You can use Palisade in the
      meantime.
    </p>
  );
}
