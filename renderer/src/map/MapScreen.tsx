// The asset map. maplibre is large, so it loads only when this screen is first opened
// and the rest of the app starts as fast as before.
import { lazy, Suspense } from 'react';
import { useRoute } from '../app/router';

const loadMapView = () => import('./MapView');
// The app opened on the map: fetch the map's code while the app connects.
if (useRoute.getState().section === 'map') void loadMapView();
const MapView = lazy(loadMapView);

/** `param`: the id of an asset to place (`#/map/<assetId>`). */
export function MapScreen({ param }: { param: string | null }) {
  return (
    <section className="screen map-screen" aria-labelledby="page-heading">
      <h1 id="page-heading" tabIndex={-1}>
        Map
      </h1>
      <Suspense fallback={<p className="loading">Loading the map…</p>}>
        <MapView placeId={param} />
      </Suspense>
    </section>
  );
}
