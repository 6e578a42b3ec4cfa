import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadViewFor } from './App';
import { parseHash } from './router';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Docket: #root element missing from index.html');
const render = () =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// The view the window opens on is loaded before the first render, so it does not suspend: a view
// that suspends is held back by React for 300 ms (lazyView.ts). If its code fails to load, the
// view's own loading path reports it.
preloadViewFor(parseHash(window.location.hash)).then(render, render);
