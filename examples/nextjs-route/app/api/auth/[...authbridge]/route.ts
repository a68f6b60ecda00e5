// Every login route under /api/auth: providers, :provider/verify, me, refresh, logout.
import { nextRouteHandlers } from '@authbridge/web';
import { handler } from '../../../../lib/auth';

export const { GET, POST } = nextRouteHandlers(handler);
