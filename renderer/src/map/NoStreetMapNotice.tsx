// Said on the map itself when it is zoomed in past what the bundled basemap draws and no
// map pack or online tiles cover the view: otherwise the user sees an empty beige square
// and no reason for it. Explains what a map pack is, where to get one and how to add it.
import { useId } from 'react';
import { PACK_FILE_INPUT_ID } from './MapPacks';

/** Half the width and height of the area the suggested extract covers, in degrees: about 7 km across in England. */
const AREA_HALF_SIZE: [number, number] = [0.05, 0.03];

const round = (degrees: number) => Number(degrees.toFixed(3));

interface Props {
  center: [number, number];
  /** Folded to its heading, so it hides no assets; kept by the map while the notice comes and goes. */
  folded: boolean;
  onFold: (folded: boolean) => void;
}

export function NoStreetMapNotice({ center: [lon, lat], folded, onFold }: Props) {
  const heading = useId();
  const body = useId();
  const bbox = [lon - AREA_HALF_SIZE[0], lat - AREA_HALF_SIZE[1], lon + AREA_HALF_SIZE[0], lat + AREA_HALF_SIZE[1]].map(round).join(',');
  const goToMapPacks = () => {
    const input = document.getElementById(PACK_FILE_INPUT_ID);
    input?.scrollIntoView({ block: 'center' });
    input?.focus();
  };
  return (
    <section className="map-detail-notice" aria-labelledby={heading}>
      <div className="map-detail-head">
        <h2 id={heading}>No street map here yet</h2>
        <button type="button" className="button button--small button--ghost" aria-expanded={!folded} aria-controls={body} onClick={() => onFold(!folded)}>
          {folded ? 'Why?' : 'Hide'}
        </button>
      </div>
      <div id={body} className="map-detail-body" hidden={folded}>
        <p>
          The map built into the app has nothing finer at this zoom. A <strong>map pack</strong>, a map of your area in one PMTiles or MBTiles
          file kept on this device, adds streets and buildings, offline.
        </p>
        <div className="map-detail-row">
          <button type="button" className="button button--small" onClick={goToMapPacks}>
            Add a map pack
          </button>
          <details>
            <summary>Where to get one</summary>
            <p>
              Ask your organisation, or cut your area out of a{' '}
              <a href="https://maps.protomaps.com/builds/" target="_blank" rel="noreferrer">
                Protomaps daily build
              </a>{' '}
              with the{' '}
              <a href="https://github.com/protomaps/go-pmtiles/releases" target="_blank" rel="noreferrer">
                pmtiles tool
              </a>
              . For about 7 km around this spot (YYYYMMDD: the newest build's date):
            </p>
            <code className="map-detail-command">pmtiles extract https://build.protomaps.com/YYYYMMDD.pmtiles my-area.pmtiles --bbox={bbox}</code>
          </details>
        </div>
      </div>
    </section>
  );
}
