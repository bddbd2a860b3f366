{ pas_journal: the journal through the Pascal unit, for tests/bindings/journal.rs.

    pas_journal <base_url> <token> <journal> <transaction-id>

  Opens the journal, reconciles, pays <transaction-id> in cash, then prints every entry of sx_journal_recent as
  "entry=<seq>,<call>,<outcome>,<method>,<transaction_id>,<status of its transaction or ->" and the paid start's
  receipt rendered as a copy, as "copy=<row>" lines. Exit status: 0, or the sx_result that failed. }
program pas_journal;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}

uses
  SysUtils, smartx;

procedure Check(R: sx_result; const What: string);
begin
  if R <> SX_OK then
  begin
    WriteLn(What, '=', R);
    Halt(R);
  end;
end;

var
  Client: Psx_client;
  List: Psx_journal_list;
  Entry: sx_journal_entry;
  Tx, Paid: Psx_transaction;
  Settled, Pending, I, Len: NativeUInt;
  Status: UTF8String;
  Text: UTF8String;
  Options: sx_render_options;
begin
  Client := nil;
  Check(sx_client_new(PAnsiChar(UTF8String(ParamStr(1))), @Client), 'new');
  Check(sx_client_use_token(Client, PAnsiChar(UTF8String(ParamStr(2)))), 'token');
  Check(sx_client_open_journal(Client, PAnsiChar(UTF8String(ParamStr(3)))), 'open');
  Check(sx_client_reconcile(Client, @Settled, @Pending), 'reconcile');
  WriteLn('reconciled=', Settled, ',', Pending);
  Paid := nil;
  Check(sx_transaction_start(Client, PAnsiChar(UTF8String(ParamStr(4))), 'cash', @Paid), 'start');
  sx_transaction_free(Paid);
  List := nil;
  Check(sx_journal_recent(Client, 0, @List), 'recent');
  FillChar(Options, SizeOf(Options), 0);
  I := 0;
  while I < sx_journal_list_count(List) do
  begin
    Check(sx_journal_list_get(List, I, @Entry), 'get');
    Tx := sx_journal_list_transaction(List, I);
    Status := '-';
    if Tx <> nil then
      Status := UTF8String(sx_transaction_status(Tx));
    WriteLn('entry=', Entry.seq, ',', Entry.call, ',', Entry.outcome, ',', UTF8String(Entry.method), ',',
      UTF8String(Entry.transaction_id), ',', Status);
    if (Tx <> nil) and (Entry.call = SX_CALL_START) and (Entry.outcome = SX_OUTCOME_DONE) then
    begin
      Len := 0;
      sx_receipt_render_copy(Tx, SX_RECEIPT_CUSTOMER, @Options, '*** KOPIE ***', nil, 0, @Len);
      SetLength(Text, Len);
      Check(sx_receipt_render_copy(Tx, SX_RECEIPT_CUSTOMER, @Options, '*** KOPIE ***', PAnsiChar(Text), Len + 1,
        @Len), 'copy');
      Write('copy=', StringReplace(string(Text), #10, #10'copy=', [rfReplaceAll]));
      WriteLn;
    end;
    Inc(I);
  end;
  sx_journal_list_free(List);
  sx_client_free(Client);
end.
