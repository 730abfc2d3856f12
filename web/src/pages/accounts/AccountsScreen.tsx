/** #/accounts, #/accounts/new and #/accounts/requests/<id>: the desk's citizen accounts. */
import { AccountList } from './AccountList';
import { AccountRequest } from './AccountRequest';
import { NewAccount } from './NewAccount';

export function AccountsScreen({ route }: { route: string[] }) {
  if (route[1] === 'new') return <NewAccount />;
  if (route[1] === 'requests' && route[2]) return <AccountRequest key={route[2]} requestId={route[2]} />;
  return <AccountList />;
}
