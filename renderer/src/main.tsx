import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connect } from './app/connection';
import './styles.css';

void connect();
createRoot(document.getElementById('root')!).render(<App />);
