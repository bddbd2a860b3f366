{ card_balance: the balance enquiry of a loyalty card with smartx, in Delphi or Free Pascal: find it by number,
  print its balances (integer cents) and whether it is locked.

    usage: card_balance <token> <card-number> <base-url>

  Exit status: 0 found, 3 no such card (SX_ERR_ABSENT), else the sx_result value. }
program card_balance;

{$IFDEF FPC}{$MODE DELPHI}{$ENDIF}
{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}

uses
  SysUtils, smartx;

{ Cents as euros, in integer arithmetic: 352 -> '3,52 EUR'. }
function Euros(Cents: Int64): string;
var
  Value: Int64;
  Sign: string;
begin
  Sign := '';
  Value := Cents;
  if Value < 0 then
  begin
    Sign := '-';
    Value := -Value;
  end;
  Result := Format('%s%d,%.2d EUR', [Sign, Value div 100, Value mod 100]);
end;

var
  R: sx_result;
  Client: Psx_client;
  Card: Psx_card;
  Cents: Int64;
  Locked: UInt32;
begin
  if ParamCount <> 3 then
  begin
    WriteLn(ErrOutput, 'usage: card_balance <token> <card-number> <base-url>');
    Halt(2);
  end;
  Client := nil;
  Card := nil;
  R := sx_client_new(PAnsiChar(UTF8String(ParamStr(3))), @Client);
  if R = SX_OK then
    R := sx_client_use_token(Client, PAnsiChar(UTF8String(ParamStr(1))));
  if R = SX_OK then
    R := sx_card_find(Client, PAnsiChar(UTF8String(ParamStr(2))), @Card);
  if R = SX_ERR_ABSENT then
  begin
    WriteLn('No card has this number.');
    sx_client_free(Client);
    Halt(3);
  end;
  if R <> SX_OK then
  begin
    WriteLn('Result: ', sx_result_name(R), ' (', R, ')');
    sx_client_free(Client);
    Halt(R);
  end;
  WriteLn('Card: ', UTF8String(sx_card_number_masked(Card)));
  WriteLn('Programme: ', UTF8String(sx_card_group_name(Card)));
  if sx_card_balance(Card, @Cents) = SX_OK then
    WriteLn('Balance: ', Euros(Cents));
  if sx_card_bonus_balance(Card, @Cents) = SX_OK then
    WriteLn('Bonus: ', Euros(Cents));
  Locked := 0;
  if (sx_card_locked(Card, @Locked) = SX_OK) and (Locked <> 0) then
    WriteLn('LOCKED: this card cannot pay.');
  sx_card_free(Card);
  sx_client_free(Client);
end.
