export { setupDashboard, DASHBOARD_PATH } from './setup-dashboard';
