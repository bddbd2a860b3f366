//! What the person at the till does after a call ended the way it did: short texts in German and English, for a
//! register to show beside (or instead of) the technical message. Static; no network.

use crate::http::ErrorKind;

/// How a call ended, as far as the cashier is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The register program passed nothing where something was needed.
    NullArgument,
    /// The register program's buffer was too small for the answer (for a payment: the payment is done).
    BufferTooSmall,
    /// The register program asked for an entry past the end.
    OutOfRange,
    /// The answer lacks a detail the register program asked for.
    Absent,
    /// A call that failed in the client (argument checks, network, the API's answers).
    Failed(ErrorKind),
    /// A bug inside the library was caught.
    Panic,
    /// A code this version does not know (a newer library or a register's own value).
    Unknown,
}

/// The languages with texts; everything else is [`Language::English`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    German,
    English,
}

impl Language {
    /// `"de"` and regional tags (`"de-AT"`, `"de_CH"`, any case) are German; anything else, and `None`, English.
    pub fn from_tag(tag: Option<&str>) -> Language {
        let primary = tag.unwrap_or("").split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("de") {
            Language::German
        } else {
            Language::English
        }
    }
}

/// What the cashier does now, in a sentence or two.
pub fn advice(outcome: Outcome, language: Language) -> &'static str {
    let (german, english) = texts(outcome);
    match language {
        Language::German => german,
        Language::English => english,
    }
}

/// (German, English). The words "do not take the payment again" / "nicht noch einmal kassieren" mark every
/// outcome after which the payment may have gone through; the register reads the transaction back itself.
fn texts(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Done => {
            ("Erledigt. Beleg drucken und dem Kunden geben.", "Done. Print the receipt and hand it to the customer.")
        }
        Outcome::NullArgument => (
            "Fehler im Kassenprogramm, es wurde nichts gesendet und nichts bezahlt. Bitte den Support anrufen.",
            "An error in the register program; nothing was sent and nothing was paid. Please call support.",
        ),
        Outcome::Failed(ErrorKind::InvalidArgument) => (
            "Eine Eingabe oder Einstellung ist ungültig (z. B. Vorgangsnummer, Betrag, Zugangsdaten), es wurde \
             nichts gesendet. Eingabe prüfen und noch einmal versuchen; passiert es wieder, den Support anrufen.",
            "An entry or setting is not valid (e.g. transaction number, amount, credentials); nothing was sent. \
             Check the entry and try again; if it happens again, call support.",
        ),
        Outcome::BufferTooSmall => (
            "Die Antwort war für das Kassenprogramm zu lang. War es eine Zahlung, ist sie erfolgt: nicht noch \
             einmal kassieren. Bitte den Support anrufen.",
            "The answer was too long for the register program. If this was a payment, it went through: do not \
             take the payment again. Please call support.",
        ),
        Outcome::OutOfRange => (
            "Das Kassenprogramm hat eine Zeile gesucht, die es nicht gibt. An der Zahlung ändert das nichts; \
             passiert es wieder, den Support anrufen.",
            "The register program asked for a line that does not exist. This changes nothing about the payment; \
             if it happens again, call support.",
        ),
        Outcome::Absent => (
            "In der Antwort fehlt eine Angabe (z. B. eine Belegnummer). An der Zahlung ändert das nichts; \
             weitermachen.",
            "The answer lacks a detail (e.g. a receipt number). This changes nothing about the payment; carry on.",
        ),
        Outcome::Failed(ErrorKind::Connect) => (
            "Keine Verbindung zum Zahlungsdienst, es wurde nichts gesendet und nichts bezahlt. Netzwerk (Kabel, \
             WLAN) prüfen und noch einmal versuchen.",
            "No connection to the payment service; nothing was sent and nothing was paid. Check the network \
             (cable, Wi-Fi) and try again.",
        ),
        Outcome::Failed(ErrorKind::OutcomeUnknown) => (
            "Die Verbindung ist nach dem Senden abgebrochen: Die Zahlung kann erfolgt sein. Nicht noch einmal \
             kassieren; die Kasse prüft den Vorgang, bevor es weitergeht.",
            "The connection broke after sending: the payment may have gone through. Do not take the payment \
             again; the register checks the transaction before going on.",
        ),
        Outcome::Failed(ErrorKind::Tls) => (
            "Die sichere Verbindung zum Zahlungsdienst kam nicht zustande, es wurde nichts gesendet. Datum und \
             Uhrzeit der Kasse prüfen und noch einmal versuchen; passiert es wieder, den Support anrufen.",
            "The secure connection to the payment service could not be made; nothing was sent. Check the \
             register's date and time and try again; if it happens again, call support.",
        ),
        Outcome::Failed(ErrorKind::Unauthorized) => (
            "Die Kasse ist beim Zahlungsdienst nicht (mehr) angemeldet, es wurde nichts bezahlt. Kasse neu \
             anmelden (koppeln) oder den Support anrufen.",
            "The register is not (or no longer) signed in to the payment service; nothing was paid. Sign the \
             register in again (pair it) or call support.",
        ),
        Outcome::Failed(ErrorKind::Api) => (
            "Der Zahlungsdienst hat den Auftrag abgelehnt, es wurde nichts bezahlt. Den Support anrufen und die \
             Support-ID aus der Fehlermeldung nennen.",
            "The payment service refused the request; nothing was paid. Call support and give them the support \
             id from the error message.",
        ),
        Outcome::Failed(ErrorKind::Http) => (
            "Der Zahlungsdienst hat mit einem Fehler geantwortet. Die Zahlung kann trotzdem erfolgt sein: nicht \
             noch einmal kassieren, die Kasse prüft den Vorgang. Passiert es wieder, den Support anrufen.",
            "The payment service answered with an error. The payment may still have gone through: do not take \
             the payment again; the register checks the transaction. If it happens again, call support.",
        ),
        Outcome::Failed(ErrorKind::BadResponse) => (
            "Die Antwort des Zahlungsdienstes war nicht lesbar. Die Zahlung ist wahrscheinlich erfolgt: nicht \
             noch einmal kassieren, die Kasse liest den Vorgang nach. Passiert es wieder, den Support anrufen.",
            "The payment service's answer could not be read. The payment probably went through: do not take the \
             payment again; the register reads the transaction back. If it happens again, call support.",
        ),
        Outcome::Failed(ErrorKind::NotOk) => (
            "Die Zahlung wurde nicht ausgeführt (z. B. Karte abgelehnt). Den Beleg trotzdem drucken und den \
             Kunden um eine andere Zahlungsart bitten.",
            "The payment was not completed (e.g. the card was declined). Print the receipt all the same and ask \
             the customer for another way to pay.",
        ),
        Outcome::Failed(ErrorKind::Journal) => (
            "Die Kasse konnte ihr Journal nicht schreiben, es wurde nichts gesendet und nichts bezahlt. Den \
             Support anrufen (Festplatte voll oder Journal-Datei beschädigt?).",
            "The register could not write its journal; nothing was sent and nothing was paid. Call support (is \
             the disk full or the journal file damaged?).",
        ),
        Outcome::Failed(ErrorKind::Cancelled) => (
            "An der Kasse abgebrochen; es passiert nichts weiter. Bei Bedarf neu beginnen.",
            "Cancelled at the register; nothing more happens. Start again if needed.",
        ),
        Outcome::Failed(ErrorKind::Expired) => (
            "Der Anmeldecode ist abgelaufen. Die Anmeldung (Kopplung) neu beginnen und den neuen Code rechtzeitig \
             bestätigen.",
            "The sign-in code has expired. Start the sign-in (pairing) again and confirm the new code in time.",
        ),
        Outcome::Panic => (
            "Interner Fehler in der Zahlungsbibliothek; die Kasse läuft weiter. Die Zahlung kann erfolgt sein: \
             nicht noch einmal kassieren, bevor die Kasse den Vorgang geprüft hat. Bitte den Support anrufen.",
            "An internal error in the payment library; the register keeps running. The payment may have gone \
             through: do not take the payment again before the register has checked the transaction. Please call \
             support.",
        ),
        Outcome::Unknown => (
            "Unbekannter Fehler. Nicht noch einmal kassieren, bevor die Kasse den Vorgang geprüft hat, und den \
             Support anrufen.",
            "An unknown error. Do not take the payment again before the register has checked the transaction, \
             and call support.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(Language::from_tag(Some("de")), Language::German);
        assert_eq!(Language::from_tag(Some("De_at")), Language::German);
        assert_eq!(Language::from_tag(Some("deu")), Language::English);
        assert_eq!(Language::from_tag(Some("")), Language::English);
        assert_eq!(Language::from_tag(None), Language::English);
    }
}
