{ start_cash: registers a cash payment with smartx and prints the receipt lines, in Delphi or Free Pascal.

    usage: start_cash <transaction-id> <token> [base-url]

  Build: fpc -Mdelphi -Fu<dir of smartx.pas> -Fl<dir of libsmartx.so> start_cash.dpr   (Delphi: add smartx.pas
  to the project, put smartx.dll beside the .exe). Exit status: 0 when paid, else the sx_result value. }
program start_cash;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}
{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}

uses
  SysUtils, smartx;

type
  TLibraryString = function(buf: PAnsiChar; cap: NativeUInt; out_len: PNativeUInt): sx_result; cdecl;

{ Reads one of the library's (buf, cap, out_len) strings: ask the size with cap 0, allocate, read. }
function ReadLibraryString(Get: TLibraryString): UTF8String;
var
  Len: NativeUInt;
begin
  Len := 0;
  Get(nil, 0, @Len);
  SetLength(Result, Len);
  if (Len = 0) or (Get(PAnsiChar(Result), Len + 1, @Len) <> SX_OK) then
    Result := '';
end;

{ What the cashier does after R, in German ('de'; 'en' for English): sx_result_advice, the same size query. }
function Advice(R: sx_result; const Language: UTF8String): UTF8String;
var
  Len: NativeUInt;
begin
  Len := 0;
  sx_result_advice(R, PAnsiChar(Language), nil, 0, @Len);
  SetLength(Result, Len);
  if (Len = 0) or (sx_result_advice(R, PAnsiChar(Language), PAnsiChar(Result), Len + 1, @Len) <> SX_OK) then
    Result := '';
end;

procedure PrintReceipt(Tx: Psx_transaction; Which: UInt32; const Title: string);
var
  I: NativeUInt;
  Line: sx_receipt_line;
begin
  if sx_receipt_count(Tx, Which) = 0 then
    Exit;
  WriteLn(Title, ':');
  I := 0;
  while I < sx_receipt_count(Tx, Which) do
  begin
    if sx_receipt_line_get(Tx, Which, I, @Line) = SX_OK then
      case Line.kind of
        SX_LINE_SEPARATOR: WriteLn('== ', UTF8String(Line.caption), ' ==');
        SX_LINE_TEXT: WriteLn(UTF8String(Line.text));
        SX_LINE_NAME_VALUE: WriteLn(UTF8String(Line.name), ' ', UTF8String(Line.value));
        SX_LINE_SPACE: WriteLn;
      else
        WriteLn('(', UTF8String(Line.type_), ')');
      end;
    Inc(I);
  end;
end;

var
  R: sx_result;
  Len: NativeUInt;
  Answer: UTF8String;
  Tx: Psx_transaction;
begin
  if (ParamCount < 2) or (ParamCount > 3) then
  begin
    WriteLn(ErrOutput, 'usage: start_cash <transaction-id> <token> [base-url]');
    Halt(2);
  end;
  R := SX_OK;
  if ParamCount = 3 then
    R := sx_set_base_url(PAnsiChar(UTF8String(ParamStr(3))));
  if R = SX_OK then
  begin
    { A size query: a paid call answers SX_ERR_BUFFER_TOO_SMALL with the answer's length; the answer is then read
      from sx_last_response. The payment is sent once, whatever its answer's size. }
    Len := 0;
    R := sx_start_cash(PAnsiChar(UTF8String(ParamStr(1))), PAnsiChar(UTF8String(ParamStr(2))), nil, 0, @Len);
    if R = SX_ERR_BUFFER_TOO_SMALL then
      R := SX_OK;
  end;
  WriteLn('Result: ', sx_result_name(R), ' (', R, '), HTTP status ', sx_last_http_status);
  WriteLn('Cashier: ', Advice(R, 'de'));
  if (R = SX_OK) or (R = SX_ERR_NOT_OK) then
  begin
    Answer := ReadLibraryString(sx_last_response);
    Tx := nil;
    if sx_transaction_parse(PAnsiChar(Answer), Length(Answer), @Tx) = SX_OK then
    begin
      PrintReceipt(Tx, SX_RECEIPT_CUSTOMER, 'Customer receipt');
      PrintReceipt(Tx, SX_RECEIPT_MERCHANT, 'Merchant receipt');
      sx_transaction_free(Tx);
    end;
  end
  else
    WriteLn('Detail: ', ReadLibraryString(sx_last_error_message));
  sx_shutdown;
  Halt(R);
end.
